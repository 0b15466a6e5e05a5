using System.Text.Json;
using System.Text.Json.Serialization;

namespace PenguinMails.Http;

/// <summary>
/// No text of a request body may hold the NUL character (<c>\u0000</c>): PostgreSQL cannot store it in text, and no
/// field needs it. Refused with <c>400 VALIDATION_ERROR</c> naming the field, for every string and dictionary key the
/// serializer reads (this converter) and inside free-form JSON values (<see cref="FreeFormJson"/>), on both databases.
/// </summary>
public static class NulCharacters
{
    internal static string Rule(string field) =>
        $"{field} must be valid text, without the NUL character (\\u0000) or an unpaired surrogate (\\ud800).";

    /// <summary>Every <see cref="string"/> read from a body, values and dictionary keys.</summary>
    public sealed class StringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException(); // the serializer words it as a wrong type, with the field's path
            }

            return Checked(reader.GetString()!);
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Checked(reader.GetString()!);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WritePropertyName(value);

        private static string Checked(string text) =>
            text.Contains('\0', StringComparison.Ordinal) ? throw new JsonFieldException(Rule) : text;
    }

    /// <summary>
    /// Where a parsed document (a body read as <see cref="JsonDocument"/> rather than through the serializer: an ESP's
    /// event, a row of a contact import) first holds text that is not text — a NUL, an unpaired surrogate escape
    /// (<c>\ud800</c>) or bytes that are not UTF-8 — as a path under <paramref name="path"/>: <c>body.Metadata.id</c>,
    /// <c>tags[1]</c>, <c>a name in attributes</c> (a property name), <c>a value</c> (the root, when the path is empty);
    /// null when all of it is text. Reading such a string throws <see cref="InvalidOperationException"/>, and a lookup by
    /// name unescapes every name it passes, so a document must be checked whole before anything in it is read.
    /// </summary>
    public static string? FirstInvalid(JsonElement element, string path = "body")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsText(element.GetString) ? null : path.Length > 0 ? path : "a value";
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstInvalid(item, $"{path}[{index++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsText(() => property.Name))
                    {
                        return path.Length > 0 ? $"a name in {path}" : "a field name";
                    }

                    if (FirstInvalid(property.Value, path.Length > 0 ? $"{path}.{property.Name}" : property.Name) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsText(Func<string?> read)
    {
        try
        {
            return read() is not { } text || !text.Contains('\0', StringComparison.Ordinal);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
