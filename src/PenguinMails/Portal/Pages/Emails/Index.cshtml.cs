using PenguinMails.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Campaigns;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Portal.Webhooks;

namespace PenguinMails.Portal.Pages.Emails;

/// <summary>
/// <c>/dashboard/emails?recipient=&amp;status=&amp;tag=&amp;campaign_id=&amp;environment=&amp;from=&amp;to=&amp;cursor=</c> (issue 14):
/// the email log, newest first, <see cref="PageSize"/> a page, through the API's own <see cref="EmailLog"/> — the same
/// filters as <c>GET /api/v1/emails</c>, kept in the URL, keyset paging stable while mail arrives. <c>from</c>/<c>to</c> are
/// <c>datetime-local</c> values read as UTC. A filter that cannot be used is said on the page, never a 500.
/// </summary>
public sealed class IndexModel(AppDb db, TimeProvider time) : PageModel
{
    public const int PageSize = 50;

    [FromQuery(Name = "recipient")] public string? Recipient { get; set; }
    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "tag")] public string? Tag { get; set; }
    [FromQuery(Name = "campaign_id")] public string? CampaignId { get; set; }
    [FromQuery(Name = "environment")] public string? Environment { get; set; }
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "cursor")] public string? Cursor { get; set; }

    public List<EmailMessage> Emails { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public List<string> FilterProblems { get; } = [];
    public List<(string Id, string Name)> Campaigns { get; private set; } = [];
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public bool Filtered => Recipient is not null || Status is not null || Tag is not null || CampaignId is not null
        || Environment is not null || From is not null || To is not null;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        (Recipient, Status, Tag, CampaignId, Environment) = (OptionalText.OrNull(Recipient), OptionalText.OrNull(Status), OptionalText.OrNull(Tag), OptionalText.OrNull(CampaignId), OptionalText.OrNull(Environment));
        (From, To, Cursor) = (OptionalText.OrNull(From), OptionalText.OrNull(To), OptionalText.OrNull(Cursor));
        Campaigns = (await db.Campaigns.AsNoTracking().OrderByDescending(c => c.CreatedAt).Take(200).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
            .Select(c => (CampaignIds.Format(c.Id), c.Name)).ToList();
        var query = new EmailListQuery(Status, Tag, Recipient, CampaignId, Environment, Instant(From, "From"), Instant(To, "To"), PageSize, Cursor);
        if (EmailLog.Validate(query, out var filter, out var cursor) is { } invalid)
        {
            FilterProblems.AddRange(invalid.Details.Select(d => d.Message));
        }

        if (FilterProblems.Count > 0)
        {
            return;
        }

        (Emails, NextCursor) = await EmailLog.PageAsync(db, filter, cursor, PageSize, ct);
    }

    /// <summary>This log with the same filters at <paramref name="cursor"/> (null: the newest page).</summary>
    public string PageUrl(string? cursor) => PortalPaths.Emails + new QueryBuilder(
        new[] { ("recipient", Recipient), ("status", Status), ("tag", Tag), ("campaign_id", CampaignId), ("environment", Environment),
                ("from", From), ("to", To), ("cursor", cursor) }
            .Where(p => p.Item2 is not null).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2!))).ToQueryString();

    public static string Detail(Guid id) => $"{PortalPaths.Emails}/{EmailIds.Format(id)}";

    /// <summary>A status as words and a badge colour (the words carry it; the colour only helps).</summary>
    public static (string Label, string Badge) StatusOf(EmailStatus status) => status switch
    {
        EmailStatus.Sent => ("Sent", "text-bg-success"),
        EmailStatus.Bounced => ("Bounced", "text-bg-danger"),
        EmailStatus.Failed => ("Failed", "text-bg-danger"),
        EmailStatus.Suppressed => ("Suppressed", "text-bg-warning"),
        EmailStatus.Deferred => ("Deferred", "text-bg-warning"),
        EmailStatus.Cancelled => ("Cancelled", "text-bg-secondary"),
        EmailStatus.Held => ("Held", "text-bg-secondary"),
        EmailStatus.Sending => ("Sending", "text-bg-info"),
        _ => ("Queued", "text-bg-light border"),
    };

    private string? Instant(string? local, string label)
    {
        if (WebhookPages.TryReadLocal(local, out var at))
        {
            return at is { } utc ? WebhookPages.Rfc3339(utc) : null;
        }

        FilterProblems.Add($"{label} must be a date and time, e.g. 2026-11-30T09:00.");
        return null;
    }
}
