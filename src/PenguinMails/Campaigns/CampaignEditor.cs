using System.Text.Json;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Http;
using PenguinMails.Templates;

namespace PenguinMails.Campaigns;

/// <summary>
/// Applies a create or an edit to a campaign and checks the result as a whole: a valid sender, exactly one kind
/// of content (a template the tenant has, or inline bodies that compile), a subject when there is no template,
/// and an audience of tags or everyone.
/// </summary>
public sealed class CampaignEditor(AppDb db, TimeProvider time, Tenancy.TenantContext tenant,
    Microsoft.Extensions.Options.IOptions<PenguinMailsOptions> options)
{
    public DateTime Now { get; } = time.GetUtcNow().UtcDateTime;

    public async Task<ApiError?> CreateAsync(Campaign campaign, CreateCampaignRequest request, CancellationToken ct)
    {
        var from = request.From ?? await DefaultSender.ResolveAsync(db, tenant.TenantId, options.Value.Emails, ct);
        if (from is null)
        {
            return new ApiError(ErrorCodes.ValidationError, null, [new ErrorDetail("from", "from " + DefaultSender.Missing)]);
        }

        var update = new UpdateCampaignRequest
        {
            Name = request.Name, Subject = request.Subject, From = from, TemplateId = request.TemplateId,
            Variables = request.Variables, HtmlBody = request.HtmlBody, TextBody = request.TextBody, Audience = request.Audience,
            TrackOpens = request.TrackOpens, TrackClicks = request.TrackClicks,
        };
        return await ApplyAsync(campaign, update, ct);
    }

    public async Task<ApiError?> ApplyAsync(Campaign campaign, UpdateCampaignRequest request, CancellationToken ct)
    {
        var errors = new List<ErrorDetail>();
        campaign.Name = request.Name?.Trim() ?? campaign.Name;
        campaign.Subject = request.Subject ?? campaign.Subject;
        if (request.From is not null)
        {
            if (EmailAddresses.TryParse(request.From, out var error) is null)
            {
                errors.Add(new ErrorDetail("from", "from " + error));
            }

            campaign.From = request.From.Trim();
        }

        if (request.TemplateId is not null || request.HtmlBody is not null || request.TextBody is not null)
        {
            campaign.TemplateSlug = string.IsNullOrWhiteSpace(request.TemplateId) ? null : TemplateRules.NormalizeSlug(request.TemplateId);
            // A blank part is no part: the message goes out with the other one (CheckContent refuses both blank).
            campaign.HtmlBody = string.IsNullOrWhiteSpace(request.HtmlBody) ? null : request.HtmlBody;
            campaign.TextBody = string.IsNullOrWhiteSpace(request.TextBody) ? null : request.TextBody;
        }

        if (request.Variables is not null)
        {
            campaign.VariablesJson = request.Variables.Count == 0 ? null : JsonSerializer.Serialize(request.Variables);
        }

        if (request.Audience is { } audience)
        {
            ApplyAudience(campaign, audience, errors);
        }

        campaign.TrackOpens = request.TrackOpens ?? campaign.TrackOpens;
        campaign.TrackClicks = request.TrackClicks ?? campaign.TrackClicks;
        campaign.UpdatedAt = Now;
        CheckContent(campaign, errors);
        if (errors.Count > 0)
        {
            return new ApiError(ErrorCodes.ValidationError, null, errors);
        }

        return campaign.TemplateSlug is { } slug && !await db.EmailTemplates.AnyAsync(t => t.Slug == slug, ct)
            ? new TemplateRenderResult.NotFound(slug).ToError()
            : null;
    }

    private static void ApplyAudience(Campaign campaign, AudienceRequest audience, List<ErrorDetail> errors)
    {
        var tags = (audience.Tags ?? []).Select(t => Contacts.ContactRules.NormalizeTag(t ?? "")).Distinct().ToList();
        var everyone = audience.All == true;
        if (everyone == tags.Count > 0)
        {
            errors.Add(new ErrorDetail("audience", everyone
                ? "audience must be {\"tags\": [...]} (contacts with any of them) or {\"all\": true}, not both."
                : "audience must name its contacts: {\"tags\": [...]} with at least one tag (contacts with any of them), or {\"all\": true}."));
        }
        else
        {
            // The rules of a contact's tags: a tag no contact can have would send the campaign to nobody.
            errors.AddRange(Contacts.ContactRules.CheckTags(audience.Tags, "audience.tags")
                .Select(r => new ErrorDetail("audience.tags", $"audience.tags: {r.ErrorMessage}")));
        }

        campaign.AudienceTags = tags;
    }

    private static void CheckContent(Campaign campaign, List<ErrorDetail> errors)
    {
        if (campaign.TemplateSlug is not null)
        {
            if (campaign.HtmlBody is not null || campaign.TextBody is not null)
            {
                errors.Add(new ErrorDetail("template_id", "Give template_id or html_body/text_body, not both."));
            }

            if (campaign.Subject is not null)
            {
                errors.AddRange(TemplateEngine.Validate(campaign.Subject, "", null, []));
            }

            return;
        }

        if (campaign.HtmlBody is null && campaign.TextBody is null)
        {
            errors.Add(new ErrorDetail("html_body", "Give template_id, or html_body and/or text_body that are not blank."));
            return;
        }

        if (string.IsNullOrWhiteSpace(campaign.Subject))
        {
            errors.Add(new ErrorDetail("subject", "subject is required when there is no template."));
            return;
        }

        errors.AddRange(TemplateEngine.Validate(campaign.Subject, campaign.HtmlBody ?? "", campaign.TextBody, []));
    }
}
