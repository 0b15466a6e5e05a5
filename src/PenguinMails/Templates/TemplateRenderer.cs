using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PenguinMails.Data;

namespace PenguinMails.Templates;

/// <summary>
/// Renders the current tenant's templates. HTML escapes variables ({{var}}; {{{var}}} is raw); subject and text
/// never escape; a subject never carries CR/LF, whatever the variables hold. <c>unsubscribe_url</c> is always given
/// (<see cref="Tracking.UnsubscribeLinks"/>): the composer fills in each message's own link.
/// </summary>
public sealed partial class TemplateRenderer(Lazy<AppDb> db)
{
    public async Task<TemplateRenderResult> RenderAsync(
        string slug, IReadOnlyDictionary<string, JsonNode?> variables, CancellationToken ct)
    {
        var normalized = TemplateRules.NormalizeSlug(slug);
        var template = await db.Value.EmailTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == normalized, ct);
        return template is null ? new TemplateRenderResult.NotFound(slug) : Render(template, variables);
    }

    /// <summary>Whether the current tenant has a template with this slug (case-insensitive).</summary>
    public Task<bool> ExistsAsync(string slug, CancellationToken ct)
    {
        var normalized = TemplateRules.NormalizeSlug(slug);
        return db.Value.EmailTemplates.AnyAsync(t => t.Slug == normalized, ct);
    }

    /// <summary>Pure: no database, the same answer for the same template and variables.</summary>
    public static TemplateRenderResult Render(EmailTemplate template, IReadOnlyDictionary<string, JsonNode?> variables)
    {
        var compiled = TemplateEngine.For(template);
        var missing = compiled.Required.Where(path => !VariablePaths.IsGiven(variables, path)).ToList();
        if (missing.Count > 0)
        {
            return new TemplateRenderResult.MissingVariables(missing);
        }

        var model = TemplateModel.From(variables);
        model[Tracking.UnsubscribeLinks.Variable] = Tracking.UnsubscribeLinks.Placeholder;
        return new TemplateRenderResult.Rendered(
            OneLine(compiled.Subject(model)),
            compiled.Html(model),
            compiled.Text?.Invoke(model));
    }

    private static string OneLine(string subject) => LineBreaks().Replace(subject, " ").Trim();

    [GeneratedRegex(@"[\x00-\x08\x0A-\x1F\x7F\u2028\u2029]+")]
    private static partial Regex LineBreaks();
}
