using PenguinMails.Campaigns;
using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Analytics;

/// <summary>
/// A campaign's figures, computed in the database from its messages' stored events with grouped counts (no event
/// row is loaded): per event type the total and the distinct messages, per UTC hour, and per clicked URL.
/// </summary>
public static class CampaignAnalytics
{
    public const int TopLinkCount = 10;

    public static async Task<CampaignAnalyticsView> ComputeAsync(AppDb db, Campaign campaign, CancellationToken ct)
    {
        var id = campaign.Id;
        var messages = db.EmailMessages.AsNoTracking().Where(m => m.CampaignId == id);
        var events = db.EmailEvents.AsNoTracking().Where(e => messages.Any(m => m.Id == e.MessageId));
        var recipients = await messages.CountAsync(ct);
        var failed = await messages.CountAsync(m => m.Status == EmailStatus.Failed, ct);
        var byType = (await events.GroupBy(e => e.Type)
            .Select(g => new { Type = g.Key, Total = g.Count(), Unique = g.Select(e => e.MessageId).Distinct().Count() })
            .ToListAsync(ct)).ToDictionary(x => x.Type, x => new UniqueTotal(x.Unique, x.Total));
        var sent = await events.Where(e => e.Type == EmailEventType.Sent || e.Type == EmailEventType.Bounced)
            .Select(e => e.MessageId).Distinct().CountAsync(ct);
        UniqueTotal Of(EmailEventType type) => byType.GetValueOrDefault(type) ?? new UniqueTotal(0, 0);
        var bounced = Of(EmailEventType.Bounced).Unique;
        var delivered = sent - bounced;
        var (opened, clicked) = (Of(EmailEventType.Opened), Of(EmailEventType.Clicked));
        var (complained, unsubscribed) = (Of(EmailEventType.Complained).Unique, Of(EmailEventType.Unsubscribed).Unique);
        var rates = new CampaignRates(
            Rate(delivered, sent), Rate(opened.Unique, delivered), Rate(clicked.Unique, delivered),
            Rate(bounced, sent), Rate(complained, delivered), Rate(unsubscribed, delivered));
        return new CampaignAnalyticsView(
            CampaignIds.Format(id), campaign.Name, CampaignStateMachine.Name(campaign.Status), recipients, sent, delivered, bounced, failed,
            opened, clicked, complained, unsubscribed, rates, await HourlyAsync(events, ct), await TopLinksAsync(events, ct));
    }

    public static decimal Rate(int part, int whole) => whole == 0 ? 0m : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);

    private static async Task<List<HourlyPoint>> HourlyAsync(IQueryable<EmailEvent> events, CancellationToken ct)
    {
        var counted = new[]
        {
            EmailEventType.Sent, EmailEventType.Bounced, EmailEventType.Opened, EmailEventType.Clicked,
            EmailEventType.Complained, EmailEventType.Unsubscribed,
        };
        var rows = await events.Where(e => counted.Contains(e.Type))
            .GroupBy(e => new { e.At.Year, e.At.Month, e.At.Day, e.At.Hour, e.Type })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Day, g.Key.Hour, g.Key.Type, Count = g.Count() })
            .ToListAsync(ct);
        return rows.GroupBy(r => new DateTime(r.Year, r.Month, r.Day, r.Hour, 0, 0, DateTimeKind.Utc))
            .OrderBy(h => h.Key)
            .Select(h =>
            {
                int Count(EmailEventType type) => h.Where(r => r.Type == type).Sum(r => r.Count);
                return new HourlyPoint(h.Key, Count(EmailEventType.Sent), Count(EmailEventType.Bounced), Count(EmailEventType.Opened),
                    Count(EmailEventType.Clicked), Count(EmailEventType.Complained), Count(EmailEventType.Unsubscribed));
            })
            .ToList();
    }

    private static async Task<List<TopLink>> TopLinksAsync(IQueryable<EmailEvent> events, CancellationToken ct) =>
        (await events.Where(e => e.Type == EmailEventType.Clicked && e.Detail != null)
            .GroupBy(e => e.Detail!)
            .Select(g => new { Url = g.Key, Unique = g.Select(e => e.MessageId).Distinct().Count(), Total = g.Count() })
            .OrderByDescending(l => l.Unique).ThenByDescending(l => l.Total).ThenBy(l => l.Url)
            .Take(TopLinkCount)
            .ToListAsync(ct)).Select(l => new TopLink(l.Url, l.Unique, l.Total)).ToList();
}
