using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Campaigns;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Portal.Activity;

namespace PenguinMails.Portal.Pages.Emails;

/// <summary>
/// <c>/dashboard/emails/{msg_id}</c> (issue 14): one message as <c>GET /api/v1/emails/{id}</c> shows it (<see cref="EmailReads.ViewAsync"/>)
/// — subject, sender, tags, campaign, times, recipients each with their own status, the event timeline, every delivery
/// attempt with the relay's reply, opens and clicks — and for each recipient not reached the sentence of
/// <see cref="DeliveryExplanation"/>. Read through the tenant's query filters: another tenant's id, or no id at all, is 404.
/// </summary>
public sealed class MessageModel(AppDb db, TimeProvider time) : PageModel
{
    public EmailView Email { get; private set; } = null!;
    public string? CampaignName { get; private set; }
    public string? CampaignId { get; private set; }
    public Dictionary<string, string> Reasons { get; private set; } = [];
    public List<(string Url, int Total, int Unique)> Links { get; private set; } = [];
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var ct = HttpContext.RequestAborted;
        if (EmailIds.Parse(id) is not { } messageId
            || await db.EmailMessages.AsNoTracking().Include(m => m.Recipients).FirstOrDefaultAsync(m => m.Id == messageId, ct) is not { } message
            || await EmailReads.ViewAsync(db, messageId, ct) is not { } view)
        {
            return NotFound();
        }

        Email = view;
        if (message.CampaignId is { } campaign)
        {
            CampaignId = CampaignIds.Format(campaign);
            CampaignName = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaign).Select(c => c.Name).FirstOrDefaultAsync(ct);
        }

        var events = await db.EmailEvents.AsNoTracking().Where(e => e.MessageId == messageId).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => a.MessageId == messageId).OrderBy(a => a.Number).ToListAsync(ct);
        Reasons = await DeliveryExplanation.ForAsync(db, message, events, attempts, ct);
        Links = events.Where(e => e.Type == EmailEventType.Clicked && e.Detail is not null).GroupBy(e => e.Detail!)
            .Select(g => (g.Key, g.Count(), g.Select(e => e.Client).Distinct().Count())).OrderByDescending(l => l.Item2).ToList();
        return Page();
    }

    /// <summary>A recipient's status as words and a badge colour.</summary>
    public static (string Label, string Badge) RecipientStatusOf(string status) => status switch
    {
        "sent" => ("Sent", "text-bg-success"),
        "bounced" => ("Bounced", "text-bg-danger"),
        "failed" => ("Failed", "text-bg-danger"),
        "suppressed" => ("Suppressed", "text-bg-warning"),
        "cancelled" => ("Cancelled", "text-bg-secondary"),
        _ => ("Pending", "text-bg-light border"),
    };
}
