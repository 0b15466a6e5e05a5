using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PenguinMails.Http;

/// <summary>
/// No text of a request body may hold the NUL character (<c>\u0000</c>): PostgreSQL cannot store it in text, and no
/// field needs it. Refused with <c>400 VALIDATION_ERROR</c> naming the field, for every string (a converter) and every
/// string or key inside free-form JSON values such as <c>variables</c>, <c>metadata</c> and <c>attributes</c> (a
/// contract modifier), on both databases alike.
/// </summary>
public static class NulCharacters
{
    private static string Rule(string field) =>
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

    /// <summary>Properties holding free-form JSON (<see cref="JsonNode"/> values, maps or lists of them).</summary>
    public static void RefuseInJsonValues(JsonTypeInfo info) =>
        BodyPropertyChecks.Add(info, HoldsJsonNodes, value =>
        {
            if (FirstNul(value) is { } where)
            {
                throw new JsonFieldException(Rule, where);
            }
        });

    private static bool HasNulOrIsInvalid(JsonValue leaf)
    {
        try
        {
            return leaf.TryGetValue<string>(out var text) && text.Contains('\0', StringComparison.Ordinal);
        }
        catch (InvalidOperationException)
        {
            return true; // text that cannot be read as UTF-16 (a lone surrogate escape)
        }
    }

    private static bool HoldsJsonNodes(Type type) =>
        typeof(JsonNode).IsAssignableFrom(type)
        || typeof(IEnumerable<KeyValuePair<string, JsonNode?>>).IsAssignableFrom(type)
        || typeof(IEnumerable<JsonNode?>).IsAssignableFrom(type);

    /// <summary>The path (".key", "[0]") under the property to the first text holding NUL; null when there is none.</summary>
    private static string? FirstNul(object? value) => value switch
    {
        JsonValue leaf => HasNulOrIsInvalid(leaf) ? "" : null,
        IEnumerable<KeyValuePair<string, JsonNode?>> map => map
            .Select(p => p.Key.Contains('\0', StringComparison.Ordinal) ? "" : FirstNul(p.Value) is { } inner ? $".{p.Key}{inner}" : null)
            .FirstOrDefault(w => w is not null),
        IEnumerable<JsonNode?> list => list.Select((n, i) => FirstNul(n) is { } inner ? $"[{i}]{inner}" : null).FirstOrDefault(w => w is not null),
        _ => null,
    };
}
