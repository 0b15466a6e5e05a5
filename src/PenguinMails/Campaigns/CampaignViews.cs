using System.Text.Json;
using System.Text.Json.Nodes;
using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Campaigns;

/// <summary>Campaigns as the API shows them, with their progress counted from their messages in one grouped query.</summary>
public static class CampaignViews
{
    public static async Task<CampaignView> ViewAsync(AppDb db, Campaign campaign, CancellationToken ct) =>
        (await ViewsAsync(db, [campaign], ct))[0];

    public static async Task<List<CampaignView>> ViewsAsync(AppDb db, IReadOnlyList<Campaign> campaigns, CancellationToken ct)
    {
        var ids = campaigns.Where(c => c.RecipientCount > 0).Select(c => (Guid?)c.Id).ToList();
        var counts = ids.Count == 0 ? [] : await db.EmailMessages.AsNoTracking()
            .Where(m => ids.Contains(m.CampaignId))
            .GroupBy(m => new { m.CampaignId, m.Status })
            .Select(g => new { g.Key.CampaignId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        return campaigns.Select(c =>
        {
            var mine = counts.Where(x => x.CampaignId == c.Id).ToDictionary(x => x.Status, x => x.Count);
            return View(c, mine);
        }).ToList();
    }

    private static CampaignView View(Campaign c, Dictionary<EmailStatus, int> byStatus)
    {
        int Count(params EmailStatus[] statuses) => statuses.Sum(s => byStatus.GetValueOrDefault(s));
        var progress = new CampaignProgress(
            c.RecipientCount, c.SkippedCount,
            Count(EmailStatus.Queued, EmailStatus.Deferred, EmailStatus.Sending, EmailStatus.Held),
            Count(EmailStatus.Sent), Count(EmailStatus.Bounced), Count(EmailStatus.Failed, EmailStatus.Suppressed),
            Count(EmailStatus.Cancelled), c.FanOutComplete);
        var variables = c.VariablesJson is null ? new Dictionary<string, JsonNode?>()
            : JsonSerializer.Deserialize<Dictionary<string, JsonNode?>>(c.VariablesJson)!;
        return new CampaignView(
            CampaignIds.Format(c.Id), c.Name, CampaignStateMachine.Name(c.Status), c.StatusReason, c.Subject, c.From, c.TemplateSlug, variables,
            c.HtmlBody, c.TextBody, new AudienceView(c.AudienceTags.Count == 0, c.AudienceTags), c.TrackOpens, c.TrackClicks,
            c.IsTest, CampaignStateMachine.ActionsFor(c.Status), progress,
            c.CreatedAt, c.UpdatedAt, c.ScheduledAt, c.StartedAt, c.SentAt, c.CancelledAt);
    }
}
