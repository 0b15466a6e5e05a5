using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PenguinMails.Portal.Docs;

/// <summary>
/// A JSON example written as a literal of each SDK language, indented to sit in a call: a JavaScript object
/// (<c>{ to: 'user@example.com' }</c>), a Python dict (<c>True</c>/<c>None</c>), a PHP short array
/// (<c>['to' => ...]</c>) and a C# object initializer (PascalCase properties of the request class, dictionaries where
/// the schema has no properties).
/// </summary>
internal static class CodeLiterals
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Json(JsonNode? node) => node?.ToJsonString(Pretty) ?? "null";

    public static string JavaScript(JsonNode? node, int indent = 0) => node switch
    {
        JsonObject o => Block("{", "}", o.Select(p => $"{JsKey(p.Key)}: {JavaScript(p.Value, indent + 1)}"), indent),
        JsonArray a => Block("[", "]", a.Select(v => JavaScript(v, indent + 1)), indent),
        _ => Scalar(node, s => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'", "true", "false", "null"),
    };

    public static string Python(JsonNode? node, int indent = 0) => node switch
    {
        JsonObject o => Block("{", "}", o.Select(p => $"{PyString(p.Key)}: {Python(p.Value, indent + 1)}"), indent),
        JsonArray a => Block("[", "]", a.Select(v => Python(v, indent + 1)), indent),
        _ => Scalar(node, PyString, "True", "False", "None"),
    };

    public static string Php(JsonNode? node, int indent = 0) => node switch
    {
        JsonObject o => Block("[", "]", o.Select(p => $"{PhpString(p.Key)} => {Php(p.Value, indent + 1)}"), indent),
        JsonArray a => Block("[", "]", a.Select(v => Php(v, indent + 1)), indent),
        _ => Scalar(node, PhpString, "true", "false", "null"),
    };

    /// <summary>
    /// <paramref name="typeName"/> names the class of a top-level object (<c>new SendEmailRequest { ... }</c>); nested
    /// objects with properties in <paramref name="schema"/> are <c>new() { ... }</c>, others dictionaries.
    /// </summary>
    public static string CSharp(JsonNode? node, JsonObject? schema, DocSchemas schemas, string? typeName, int indent = 0)
    {
        switch (node)
        {
            case JsonObject o when schema is not null && schema["properties"] is JsonObject properties:
                var created = typeName is null ? "new()" : "new " + typeName;
                return Block(created + "\n" + Pad(indent) + "{", "}",
                    o.Select(p => $"{Pascal(p.Key)} = {CSharp(p.Value, schemas.NonNull(properties[p.Key]), schemas, null, indent + 1)}"), indent, multiline: true);
            case JsonObject o:
                return Block("new Dictionary<string, object?>\n" + Pad(indent) + "{", "}",
                    o.Select(p => $"[{CsString(p.Key)}] = {CSharp(p.Value, null, schemas, null, indent + 1)}"), indent, multiline: true);
            case JsonArray a:
                var items = schemas.NonNull(schema?["items"]);
                return Block("[", "]", a.Select(v => CSharp(v, items, schemas, null, indent + 1)), indent);
            case JsonValue v when IsDateTime(schema) && v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                return $"DateTimeOffset.Parse({CsString(v.GetValue<string>())})"; // the SDK's time fields are DateTimeOffset
            default:
                return Scalar(node, CsString, "true", "false", "null");
        }
    }

    private static bool IsDateTime(JsonObject? schema) => schema?["format"] is JsonValue format && format.ToString() == "date-time";

    public static string Pascal(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    public static string Snake(string camel) =>
        string.Concat(camel.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    public static string PyString(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public static string PhpString(string s) => "'" + s.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    public static string CsString(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Block(string open, string close, IEnumerable<string> items, int indent, bool multiline = false)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return multiline ? open.Split('\n')[0] + " { }" : open + close;
        }

        var inner = Pad(indent + 1);
        var text = new StringBuilder(open).Append('\n');
        foreach (var item in list)
        {
            text.Append(inner).Append(item).Append(",\n");
        }

        return text.Append(Pad(indent)).Append(close).ToString();
    }

    private static string Pad(int indent) => new(' ', indent * 4);

    private static string Scalar(JsonNode? node, Func<string, string> quote, string yes, string no, string nil) => node switch
    {
        null => nil,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => yes,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => no,
        JsonValue v => v.ToJsonString(),
        _ => nil,
    };

    private static string JsKey(string key) =>
        key.Length > 0 && (char.IsLetter(key[0]) || key[0] == '_') && key.All(c => char.IsLetterOrDigit(c) || c == '_') ? key : "'" + key + "'";
}
