using System.Text.Json;

namespace PenguinMails.Http;

/// <summary>
/// A JSON value that is well-formed but not acceptable for its field (a time stamp without a zone, a null element
/// in a list). Thrown by converters; System.Text.Json adds the field's path, and the exception handler answers
/// <c>400 VALIDATION_ERROR</c> naming the field (plus <see cref="Suffix"/>, e.g. <c>[2]</c> for an element).
/// </summary>
public sealed class JsonFieldException(Func<string, string> describe, string suffix = "") : JsonException
{
    /// <summary>Appended to the field's path: the index of a list element.</summary>
    public string Suffix { get; } = suffix;

    /// <summary>The message for the field named <paramref name="field"/> (snake_case path).</summary>
    public string Describe(string field) => describe(field);
}
