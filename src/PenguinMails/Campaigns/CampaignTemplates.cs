using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Campaigns;

/// <summary>
/// A campaign and the stored template it names (<see cref="Campaign.TemplateSlug"/>), which it reads until its fan-out is
/// complete (README "Campaigns", "A deleted template"). Deleting a template a scheduled campaign, or one still fanning
/// out, needs is refused (<see cref="DeletionRefusalAsync"/>); should the template go anyway (a delete racing a schedule,
/// or a row removed by hand), the campaign is cancelled with <see cref="Reason"/> in <c>status_reason</c> when it next
/// needs the template (<see cref="CampaignLeases.StartDueAsync"/>, <see cref="CampaignFanOut"/>), never reported sent to nobody.
/// </summary>
public static class CampaignTemplates
{
    /// <summary>The <c>status_reason</c> of a campaign cancelled because its template is gone.</summary>
    public static string Reason(string slug) =>
        $"Cancelled by the server: its template '{slug}' was deleted before the campaign had been sent to its whole audience.";

    /// <summary>
    /// Campaigns that will still read their template: scheduled ones, and sending or paused ones whose fan-out is not
    /// complete. Drafts do not hold a template (their send answers 422 TEMPLATE_NOT_FOUND), nor do campaigns whose every
    /// message is written.
    /// </summary>
    public static IQueryable<Campaign> StillReadingTemplate(this IQueryable<Campaign> campaigns) =>
        campaigns.Where(c => c.TemplateSlug != null && (c.Status == CampaignStatus.Scheduled
            || ((c.Status == CampaignStatus.Sending || c.Status == CampaignStatus.Paused) && !c.FanOutComplete)));

    /// <summary>Campaigns naming a template their tenant no longer has (tenant matched explicitly: callers may ignore query filters).</summary>
    public static IQueryable<Campaign> WithTemplateGone(this IQueryable<Campaign> campaigns, AppDb db) =>
        campaigns.Where(c => c.TemplateSlug != null && !db.EmailTemplates.Any(t => t.TenantId == c.TenantId && t.Slug == c.TemplateSlug));

    /// <summary>True when the tenant in scope has no template <paramref name="slug"/> (any more).</summary>
    public static async Task<bool> IsGoneAsync(AppDb db, string slug, CancellationToken ct) =>
        !await db.EmailTemplates.AnyAsync(t => t.Slug == slug, ct);

    /// <summary>
    /// 409 RESOURCE_CONFLICT when campaigns still read the template (<see cref="StillReadingTemplate"/>): one detail at
    /// <c>slug</c> per campaign (the first 20), with its id and what to do; null when the template may go.
    /// </summary>
    public static async Task<ApiError?> DeletionRefusalAsync(AppDb db, string slug, CancellationToken ct)
    {
        var users = await db.Campaigns.AsNoTracking().Where(c => c.TemplateSlug == slug).StillReadingTemplate()
            .OrderBy(c => c.CreatedAt).Select(c => new { c.Id, c.Status }).Take(20).ToListAsync(ct);
        if (users.Count == 0)
        {
            return null;
        }

        return new ApiError(ErrorCodes.ResourceConflict,
            $"The template '{slug}' is still needed by {(users.Count == 1 ? "a campaign" : "campaigns")} not yet sent to their whole audience.",
            [.. users.Select(c => new ErrorDetail("slug", $"Campaign {CampaignIds.Format(c.Id)} is {CampaignStateMachine.Name(c.Status)}: "
                + (c.Status == CampaignStatus.Scheduled ? "give it another template or cancel it" : "cancel it, or wait for progress.fan_out_complete")
                + ", then delete the template."))]);
    }
}
