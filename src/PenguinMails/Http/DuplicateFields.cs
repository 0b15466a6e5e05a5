using System.Text.Json;

namespace PenguinMails.Http;

/// <summary>
/// A JSON object naming a field twice (<c>{"email": "a@…", "Email": "b@…"}</c>) is refused naming it, instead of
/// answered with whichever came last: RFC 8259 §4 leaves such an object's meaning to the reader. The serializer finds
/// them (<c>AllowDuplicateProperties = false</c>, set in <see cref="HttpConventions"/>); this words its exception,
/// which names a .NET type.
/// </summary>
public static class DuplicateFields
{
    /// <summary>
    /// The detail for <paramref name="json"/> when it is the serializer's refusal of a duplicate; false otherwise.
    /// <paramref name="prefix"/> (<c>emails[2].</c>) goes before the path of an object read on its own out of a larger body.
    /// </summary>
    public static bool TryDescribe(JsonException json, out ErrorDetail detail, string prefix = "")
    {
        detail = null!;
        if (!json.Message.StartsWith("Duplicate propert", StringComparison.Ordinal))
        {
            return false;
        }

        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? NullIfEmpty(prefix.TrimEnd('.')) : prefix + json.Path.TrimStart('$', '.');
        detail = new ErrorDetail(field, $"{(field is null ? "A field" : UnknownFields.Shown(field))} is given twice; send each field once.");
        return true;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> AllowingOf = [];

    /// <summary>
    /// <paramref name="options"/> allowing duplicate names, made once per options (its metadata cache is kept): for
    /// reading an outer list whose items are each read on their own, so that a duplicate is that item's error.
    /// </summary>
    public static JsonSerializerOptions Allowing(JsonSerializerOptions options) =>
        AllowingOf.GetValue(options, o => new JsonSerializerOptions(o) { AllowDuplicateProperties = true });
}
