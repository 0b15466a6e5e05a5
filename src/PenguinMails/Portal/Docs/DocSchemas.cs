using System.Text.Json.Nodes;

namespace PenguinMails.Portal.Docs;

/// <summary>
/// Reads JSON Schemas of the served OpenAPI document (as JSON): their type as people read it ("string or array of
/// string"), their fields flattened with dots, and an example value. <c>$ref</c>s are followed into
/// <c>components/schemas</c>; nullability is left out of the type (the tables' "Required" says what may be missing).
/// </summary>
public sealed class DocSchemas(JsonObject? components)
{
    private const int MaxDepth = 4;

    /// <summary>The schema a <c>$ref</c> points to (else the schema itself); null stays null.</summary>
    public JsonObject? Resolve(JsonNode? schema)
    {
        var current = schema as JsonObject;
        for (var hops = 0; hops < 8 && current?["$ref"]?.GetValue<string>() is { } reference; hops++)
        {
            current = components?[reference[(reference.LastIndexOf('/') + 1)..]] as JsonObject;
        }

        return current;
    }

    /// <summary>The schema without its null alternative: <c>oneOf [null, X]</c> is X.</summary>
    public JsonObject? NonNull(JsonNode? schema)
    {
        var resolved = Resolve(schema);
        if (resolved?["oneOf"] is JsonArray choices && choices.Select(Resolve).Where(c => c is not null && !IsNull(c)).ToList() is [var only])
        {
            return only;
        }

        return resolved;
    }

    public string TypeOf(JsonNode? schema, int depth = 0)
    {
        var s = Resolve(schema);
        if (s is null || depth > MaxDepth)
        {
            return "any";
        }

        if (s["oneOf"] is JsonArray choices)
        {
            var names = choices.Select(Resolve).Where(c => c is not null && !IsNull(c)).Select(c => TypeOf(c, depth + 1)).Distinct().ToList();
            return names.Count == 0 ? "null" : string.Join(" or ", names);
        }

        var type = PrimaryType(s);
        var format = s["format"]?.GetValue<string>();
        return type switch
        {
            "array" => "array of " + TypeOf(s["items"], depth + 1),
            "object" or "integer" or "number" or "boolean" => format is null || type == "object" ? type : $"{type} ({format})",
            _ when s["enum"] is JsonArray values => "string, one of " + string.Join(", ", values.Select(v => v?.ToString())),
            _ => format is null ? "string" : $"string ({format})",
        };
    }

    /// <summary>Each property of an object schema, nested objects and arrays of objects flattened (<c>a.b</c>, <c>a[].b</c>).</summary>
    public List<DocField> Fields(JsonNode? schema, string prefix = "", int depth = 0)
    {
        var fields = new List<DocField>();
        var s = NonNull(schema);
        if (s?["properties"] is not JsonObject properties || depth > MaxDepth)
        {
            return fields;
        }

        var required = (s["required"] as JsonArray)?.Select(r => r?.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (name, property) in properties)
        {
            var resolved = Resolve(property);
            fields.Add(new DocField(prefix + name, TypeOf(property), required.Contains(name),
                property?["description"]?.GetValue<string>() ?? DescriptionOf(resolved)));
            var inner = NonNull(property);
            if (inner?["properties"] is JsonObject)
            {
                fields.AddRange(Fields(inner, $"{prefix}{name}.", depth + 1));
            }
            else if (PrimaryType(inner) == "array" && NonNull(inner?["items"])?["properties"] is JsonObject)
            {
                fields.AddRange(Fields(inner!["items"], $"{prefix}{name}[].", depth + 1));
            }
        }

        return fields;
    }

    /// <summary>
    /// An example value: the schema's own example, else one of <see cref="DocExamples"/> by field name, else one by type.
    /// <paramref name="requiredOnly"/> keeps only required properties of objects (and those with a named example), as
    /// a request example should be the smallest valid one.
    /// </summary>
    public JsonNode? Example(JsonNode? schema, string? name, bool requiredOnly, int depth = 0)
    {
        var s = NonNull(schema);
        if (s?["example"] is { } own)
        {
            return own.DeepClone();
        }

        if (name is not null && DocExamples.ForField(name) is { } named)
        {
            return named;
        }

        if (s is null || depth > MaxDepth)
        {
            return "string";
        }

        if (s["oneOf"] is JsonArray choices && choices.Select(Resolve).FirstOrDefault(c => c is not null && !IsNull(c)) is { } first)
        {
            return Example(first, name, requiredOnly, depth + 1);
        }

        switch (PrimaryType(s))
        {
            case "object":
                var result = new JsonObject();
                var required = (s["required"] as JsonArray)?.Select(r => r?.GetValue<string>()).ToHashSet() ?? [];
                foreach (var (field, property) in s["properties"] as JsonObject ?? [])
                {
                    if (!requiredOnly || required.Contains(field) || DocExamples.ForField(field) is not null)
                    {
                        result[field] = Example(property, field, requiredOnly, depth + 1);
                    }
                }

                return result;
            case "array":
                return new JsonArray(Example(s["items"], null, requiredOnly, depth + 1));
            case "integer":
                return 1;
            case "number":
                return 1.5;
            case "boolean":
                return true;
            default:
                return s["enum"] is JsonArray values && values.Count > 0 ? values[0]!.DeepClone()
                    : s["format"]?.GetValue<string>() switch
                    {
                        "date-time" => "2026-11-30T10:30:00Z",
                        "uuid" => DocExamples.Id,
                        "email" => "user@example.com",
                        "uri" => "https://example.com",
                        _ => "string",
                    };
        }
    }

    /// <summary>"object", "array", "string", ...: the first non-null of <c>type</c> (a string or an array of them).</summary>
    public static string? PrimaryType(JsonObject? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t != "null"),
        JsonValue type => type.GetValue<string>(),
        _ when schema?["properties"] is JsonObject => "object",
        _ => null,
    };

    private static bool IsNull(JsonObject schema) => schema["type"] is JsonValue t && t.GetValue<string>() == "null";

    private static string? DescriptionOf(JsonObject? schema) => schema?["description"]?.GetValue<string>();
}
