using System.Globalization;
using HandlebarsDotNet;
using HandlebarsDotNet.IO;

namespace PenguinMails.Templates;

/// <summary>
/// How a variable's value reads when a template writes it, as Handlebars (JavaScript) would write the same JSON:
/// <c>true</c>/<c>false</c> (not .NET's <c>True</c>), an object as <c>[object Object]</c>, an array as its items joined
/// by commas. Strings and numbers are written by the engine (numbers an exact type cannot hold stay the JSON text sent;
/// see <see cref="TemplateModel"/>). The engine's encoder still applies, so html_body stays escaped.
/// </summary>
internal sealed class JsonValueFormatter : IFormatter, IFormatterProvider
{
    public static readonly JsonValueFormatter Instance = new();

    public bool TryCreateFormatter(Type type, out IFormatter formatter)
    {
        formatter = this;
        return type == typeof(bool) || type == typeof(JsonObjectModel) || type == typeof(Dictionary<string, object?>) || type == typeof(List<object?>);
    }

    public void Format<T>(T value, in EncodedTextWriter writer) => writer.Write(Text(value), encode: true);

    private static string Text(object? value) => value switch
    {
        null => "",
        bool flag => flag ? "true" : "false",
        JsonObjectModel or Dictionary<string, object?> => "[object Object]",
        List<object?> items => string.Join(',', items.Select(Text)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
