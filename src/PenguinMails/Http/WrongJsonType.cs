using System.Text.Json;

namespace PenguinMails.Http;

/// <summary>
/// What a body field takes, for the serializer's "could not be converted" refusal: <c>to must be a string.</c>,
/// <c>tags must be an array.</c>, <c>reason must be one of hard_bounce, complaint, unsubscribe, manual.</c>. The
/// serializer's message names the .NET type it wanted (never shown); this maps it to the JSON type a client writes.
/// </summary>
internal static class WrongJsonType
{
    private const string Prefix = "The JSON value could not be converted to ";

    /// <summary>Whether <paramref name="json"/> is the serializer's refusal of a value of the wrong JSON type.</summary>
    public static bool Is(JsonException json) => json.Message.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The rule for <paramref name="field"/>: the JSON type it takes, or the names of its enum.</summary>
    public static string Rule(JsonException json, string field)
    {
        var end = json.Message.IndexOf(". Path:", StringComparison.Ordinal);
        var type = end > Prefix.Length ? Unwrapped(json.Message[Prefix.Length..end]) : "";
        if (typeof(WrongJsonType).Assembly.GetType(type) is { IsEnum: true } named)
        {
            return $"{field} must be one of {string.Join(", ", Enum.GetNames(named).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName))}.";
        }

        return Taken(type) is { } kind ? $"{field} must be {kind}." : $"{field} has the wrong type.";
    }

    private static string Unwrapped(string type) =>
        type.StartsWith("System.Nullable`1[", StringComparison.Ordinal) ? type["System.Nullable`1[".Length..^1] : type;

    private static string? Taken(string type) => type switch
    {
        "System.String" or "System.Guid" or "System.Uri" or "System.DateTime" or "System.DateTimeOffset" => "a string",
        "System.Int16" or "System.Int32" or "System.Int64" or "System.Byte" or "System.UInt16" or "System.UInt32" or "System.UInt64"
            => "a whole number",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.Boolean" => "true or false",
        _ when type.EndsWith("[]", StringComparison.Ordinal) || IsGeneric(type, "List", "IList", "IReadOnlyList", "ICollection",
            "IReadOnlyCollection", "IEnumerable", "HashSet", "ISet", "IReadOnlySet") => "an array",
        _ when IsGeneric(type, "Dictionary", "IDictionary", "IReadOnlyDictionary") => "an object",
        _ when type.StartsWith("PenguinMails.", StringComparison.Ordinal) => "an object",
        _ => null,
    };

    /// <summary>Whether <paramref name="type"/> is one of the generic collections named (<c>System.Collections.Generic.List`1[…]</c>).</summary>
    private static bool IsGeneric(string type, params string[] names)
    {
        var tick = type.IndexOf('`');
        if (tick < 0)
        {
            return false;
        }

        var name = type[(type.LastIndexOf('.', tick) + 1)..tick];
        return names.Contains(name);
    }
}
