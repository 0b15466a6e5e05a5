using System.Collections.Concurrent;
using System.Globalization;
using HandlebarsDotNet;
using PenguinMails.Http;

namespace PenguinMails.Templates;

/// <summary>A template compiled once: its three parts and the variables a render must be given.</summary>
internal sealed record CompiledTemplate(
    int Version,
    DateTime UpdatedAt,
    HandlebarsTemplate<object, object> Subject,
    HandlebarsTemplate<object, object> Html,
    HandlebarsTemplate<object, object>? Text,
    IReadOnlyList<string> Required);

/// <summary>
/// The two configured Handlebars.Net environments (HTML-escaping for html_body, raw for subject and text) and
/// the cache of compiled templates, keyed by template id and replaced when its version or updated_at changes.
/// </summary>
internal static class TemplateEngine
{
    private static readonly IHandlebars Html = Handlebars.Create(Configure(new HandlebarsConfiguration
    {
        FormatProvider = CultureInfo.InvariantCulture,
    }));

    private static readonly IHandlebars Raw = Handlebars.Create(Configure(new HandlebarsConfiguration
    {
        FormatProvider = CultureInfo.InvariantCulture,
        NoEscape = true,
    }));

    private static HandlebarsConfiguration Configure(HandlebarsConfiguration configuration)
    {
        configuration.FormatterProviders.Add(JsonValueFormatter.Instance);
        configuration.ObjectDescriptorProviders.Add(JsonValueDescriptors.Instance);
        return configuration;
    }

    private static readonly Lock Compiling = new();
    private static readonly ConcurrentDictionary<Guid, CompiledTemplate> Cache = new();
    private const int CacheLimit = 10_000;

    /// <summary>Every problem of a template about to be saved, by field; empty when it can be saved.</summary>
    public static List<ErrorDetail> Validate(string subject, string html, string? text, IReadOnlyList<TemplateVariable> declared)
    {
        var details = new List<ErrorDetail>();
        foreach (var (field, source, engine) in Parts(subject, html, text))
        {
            // Our own reading first: it names the construct and its line and column; Handlebars.Net then finds the rest
            // (blocks not closed or closed twice).
            if ((TemplateReferences.Scan(source).Error ?? CompileError(engine, source)) is { } error)
            {
                details.Add(new ErrorDetail(field, error));
            }
        }

        if (subject.Contains('\r', StringComparison.Ordinal) || subject.Contains('\n', StringComparison.Ordinal))
        {
            details.Add(new ErrorDetail("subject", "subject must be a single line."));
        }

        details.AddRange(TemplateRules.ValidateVariables(declared));
        return details;
    }

    public static CompiledTemplate For(EmailTemplate template)
    {
        if (Cache.TryGetValue(template.Id, out var cached) && cached.Version == template.Version && cached.UpdatedAt == template.UpdatedAt)
        {
            return cached;
        }

        CompiledTemplate compiled;
        lock (Compiling)
        {
            compiled = new CompiledTemplate(
                template.Version,
                template.UpdatedAt,
                Raw.Compile(template.Subject),
                Html.Compile(template.HtmlBody),
                template.TextBody is null ? null : Raw.Compile(template.TextBody),
                RequiredVariables(template));
        }

        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[template.Id] = compiled;
        return compiled;
    }

    /// <summary>
    /// Variable paths read outside a guard (<c>name</c>, <c>customer.name</c>), plus declared required names, minus
    /// declared optional ones and every path under them, minus <c>unsubscribe_url</c>, which every render is given.
    /// </summary>
    public static IReadOnlyList<string> RequiredVariables(EmailTemplate template)
    {
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, source, _) in Parts(template.Subject, template.HtmlBody, template.TextBody))
        {
            required.UnionWith(TemplateReferences.Scan(source).Required);
        }

        foreach (var variable in template.Variables)
        {
            if (variable.Required)
            {
                required.Add(variable.Name);
            }
            else
            {
                required.RemoveWhere(path => VariablePaths.IsWithin(path, variable.Name));
            }
        }

        required.RemoveWhere(path => VariablePaths.IsWithin(path, Tracking.UnsubscribeLinks.Variable));
        return [.. required];
    }

    private static IEnumerable<(string Field, string Source, IHandlebars Engine)> Parts(string subject, string html, string? text)
    {
        yield return ("subject", subject, Raw);
        yield return ("html_body", html, Html);
        if (text is not null)
        {
            yield return ("text_body", text, Raw);
        }
    }

    private static string? CompileError(IHandlebars engine, string source)
    {
        try
        {
            lock (Compiling)
            {
                engine.Compile(source);
            }

            return null;
        }
        catch (Exception e) when (e is HandlebarsException or InvalidOperationException or ArgumentException)
        {
            // Handlebars.Net reports an unclosed or empty block with framework exceptions, not HandlebarsException.
            var message = string.Join(' ', e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return e is HandlebarsException ? $"Handlebars syntax error: {Reworded(message)}" : "Handlebars syntax error: a block is empty or malformed.";
        }
    }

    /// <summary>
    /// Handlebars.Net's message in the API's words: its position ("Occured at: 0:6", from 0) as this API writes one
    /// ("line 1, column 7"), its parser's type names ("Expected HelperExpression, got raw") never shown.
    /// </summary>
    internal static string Reworded(string message)
    {
        var at = System.Text.RegularExpressions.Regex.Match(message, @"\s*Occured at:\s*(\d+):(\d+)\s*");
        var position = at.Success
            ? $" (line {int.Parse(at.Groups[1].Value, CultureInfo.InvariantCulture) + 1}, column {int.Parse(at.Groups[2].Value, CultureInfo.InvariantCulture) + 1})"
            : "";
        var text = (at.Success ? message.Remove(at.Index, at.Length) : message).Trim().TrimEnd('.', ':');
        text = System.Text.RegularExpressions.Regex.Match(text, @"block expression '(\w+)' was closed") is { Success: true } open
            ? $"{{{{#{open.Groups[1].Value}}}}} is not closed: it needs {{{{/{open.Groups[1].Value}}}}}"
            : System.Text.RegularExpressions.Regex.Match(text, @"closing element '/(\w+)' was found without a matching open") is { Success: true } close
                ? $"{{{{/{close.Groups[1].Value}}}}} closes no open block"
                : System.Text.RegularExpressions.Regex.IsMatch(text, @"[A-Z][a-z]+Expression|unparseable token")
                    ? "an expression is not well formed: {{ }} must hold a variable, a block or lookup"
                    : text;
        return text + position + ".";
    }
}
