using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace PenguinMails.Http;

/// <summary>
/// Free-form JSON values of request bodies (<c>variables</c> of sends and campaigns: <see cref="JsonNode"/> values,
/// maps or lists of them) are stored and answered again, so they must be what can be stored and answered: text without
/// NUL or unpaired surrogates (<see cref="NulCharacters"/>), and at most <see cref="MaxDepth"/> levels deep, well
/// inside the serializer's limit of 64 once the answer's envelope wraps them. Refused with <c>400 VALIDATION_ERROR</c>
/// naming the place (<c>variables.customer.name</c>).
/// </summary>
public static class FreeFormJson
{
    /// <summary>Levels of objects and arrays a free-form value may nest, counting the value itself.</summary>
    public const int MaxDepth = 16;

    private static string DepthRule(string field) => $"{field} nests deeper than {MaxDepth} levels of objects and arrays.";

    public static void Check(JsonTypeInfo info) =>
        BodyPropertyChecks.Add(info, HoldsJsonNodes, value =>
        {
            if (Problem(value, 0) is { } problem)
            {
                throw new JsonFieldException(problem.TooDeep ? DepthRule : NulCharacters.Rule, problem.Where);
            }
        });

    private static bool HoldsJsonNodes(Type type) =>
        typeof(JsonNode).IsAssignableFrom(type)
        || typeof(IEnumerable<KeyValuePair<string, JsonNode?>>).IsAssignableFrom(type)
        || typeof(IEnumerable<JsonNode?>).IsAssignableFrom(type);

    /// <summary>The first problem under the property: its path (".key", "[0]") and whether it is depth or text.</summary>
    private static (string Where, bool TooDeep)? Problem(object? value, int depth)
    {
        if (value is JsonValue leaf)
        {
            return IsStorableText(leaf) ? null : ("", false);
        }

        var children = value switch
        {
            IEnumerable<KeyValuePair<string, JsonNode?>> map => map.Select(p => (Where: "." + p.Key, p.Key, Node: p.Value)),
            IEnumerable<JsonNode?> list => list.Select((n, i) => (Where: $"[{i}]", Key: "", Node: n)),
            _ => null,
        };
        if (children is null)
        {
            return null;
        }

        if (depth >= MaxDepth)
        {
            return ("", true);
        }

        foreach (var (where, key, node) in children)
        {
            if (!IsStorableText(key))
            {
                return ("", false);
            }

            if (Problem(node, depth + 1) is { } inner)
            {
                return (where + inner.Where, inner.TooDeep);
            }
        }

        return null;
    }

    private static bool IsStorableText(JsonValue leaf)
    {
        try
        {
            return !leaf.TryGetValue<string>(out var text) || IsStorableText(text);
        }
        catch (InvalidOperationException)
        {
            return false; // text that cannot be read as UTF-16 (an unpaired surrogate escape)
        }
    }

    private static bool IsStorableText(string text) => !text.Contains('\0', StringComparison.Ordinal);
}
