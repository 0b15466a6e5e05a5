using System.Text.Json;
using System.Text.Json.Nodes;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.Templates;

namespace PenguinMails.Campaigns;

/// <summary>A contact as the fan-out reads it: the fields every campaign may use, and its attributes (JSON text).</summary>
public sealed record AudienceContact(Guid Id, string Email, string? FirstName, string? LastName)
{
    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A campaign's content for one fan-out batch: its template (the stored one, or a template made of the inline
/// subject and bodies), compiled once and cached by campaign, then rendered per contact. A contact's variables
/// are the campaign's defaults, overridden by its attributes, then <c>email</c>, <c>first_name</c>, <c>last_name</c>.
/// </summary>
public sealed class CampaignContent
{
    private readonly EmailTemplate _template;
    private readonly bool _hasHtml;
    private readonly Dictionary<string, JsonNode?> _defaults;

    private CampaignContent(EmailTemplate template, bool hasHtml, Dictionary<string, JsonNode?> defaults) =>
        (_template, _hasHtml, _defaults) = (template, hasHtml, defaults);

    /// <summary>Null when the campaign's template has been deleted since the campaign was saved.</summary>
    public static async Task<CampaignContent?> LoadAsync(AppDb db, Campaign campaign, CancellationToken ct)
    {
        var defaults = campaign.VariablesJson is null ? new Dictionary<string, JsonNode?>()
            : JsonSerializer.Deserialize<Dictionary<string, JsonNode?>>(campaign.VariablesJson)!;
        if (campaign.TemplateSlug is not { } slug)
        {
            return new CampaignContent(new EmailTemplate
            {
                Id = campaign.Id, Slug = "campaign", Name = campaign.Name, Subject = campaign.Subject ?? "",
                HtmlBody = campaign.HtmlBody ?? "", TextBody = campaign.TextBody, UpdatedAt = campaign.UpdatedAt,
            }, campaign.HtmlBody is not null, defaults);
        }

        var stored = await db.EmailTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (stored is null)
        {
            return null;
        }

        // Cached under the campaign's id, so an own subject never mixes with the template's compiled form.
        var template = new EmailTemplate
        {
            Id = campaign.Id, Slug = stored.Slug, Name = stored.Name, Subject = campaign.Subject ?? stored.Subject,
            HtmlBody = stored.HtmlBody, TextBody = stored.TextBody, Variables = stored.Variables,
            Version = stored.Version, UpdatedAt = stored.UpdatedAt > campaign.UpdatedAt ? stored.UpdatedAt : campaign.UpdatedAt,
        };
        return new CampaignContent(template, true, defaults);
    }

    /// <summary>
    /// The rendered subject and bodies, or null (the contact is skipped) when the contact lacks a variable the template
    /// requires or its values make the subject longer than a subject may be.
    /// </summary>
    public RenderedMessage? RenderFor(AudienceContact contact)
    {
        var variables = new Dictionary<string, JsonNode?>(_defaults, StringComparer.Ordinal);
        foreach (var (key, json) in contact.Attributes)
        {
            variables[key] = JsonNode.Parse(json);
        }

        variables["email"] = contact.Email;
        variables["first_name"] = contact.FirstName;
        variables["last_name"] = contact.LastName;
        return TemplateRenderer.Render(_template, variables) is TemplateRenderResult.Rendered rendered
            && TextLengthAttribute.Count(rendered.Subject) <= TemplateRules.SubjectMaxLength
            ? new RenderedMessage(rendered.Subject, _hasHtml ? rendered.Html : null, rendered.Text)
            : null;
    }
}

public sealed record RenderedMessage(string Subject, string? Html, string? Text);
