using System.Text.Json;
using System.Text.Json.Nodes;

namespace PenguinMails.Templates;

/// <summary>Turns JSON variables into the objects (<see cref="JsonObjectModel"/>), lists and scalars Handlebars.Net walks.</summary>
internal static class TemplateModel
{
    public static Dictionary<string, object?> From(IReadOnlyDictionary<string, JsonNode?> variables) =>
        variables.ToDictionary(v => v.Key, v => Value(v.Value), StringComparer.Ordinal);

    private static object? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new JsonObjectModel(o.ToDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal)),
        JsonArray a => a.Select(Value).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetValue<long>(out var whole) => whole,
            JsonValueKind.Number when v.TryGetValue<decimal>(out var exact) => exact,
            JsonValueKind.Number => v.ToJsonString(), // beyond decimal: the digits as sent, never a rounded double
            JsonValueKind.Null => null,
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };
}
