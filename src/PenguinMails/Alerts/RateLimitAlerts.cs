using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Portal;

namespace PenguinMails.Alerts;

/// <summary>
/// The rate limit exceeded repeatedly: at least <see cref="AlertSettings.RateLimitRefusals"/> refused requests within
/// <see cref="AlertSettings.RateLimitWindowMinutes"/> (defaults 10 in 15), counted over the completed minutes of
/// <c>rate_limit_usage</c> (every node's refusals added up). To the admins, with the figures and a link to the usage
/// page filtered to the window. At most one alert per window-long slot of the clock, and a window never counts the
/// minutes an earlier alert already reported, so a refusal is reported once.
/// </summary>
public sealed class RateLimitAlerts(AppDb db, AlertOutbox outbox, AlertRecipients recipients, PublicBaseUrl baseUrl, IOptions<PenguinMailsOptions> options)
    : IAlertCheck
{
    private const string Subject = "tenant";

    /// <summary>Tenants with refusals in the last minutes of the longest window any tenant (or the default) counts over.</summary>
    public async Task<List<Guid>> TenantsToCheckAsync(DateTime now, CancellationToken ct)
    {
        var since = await AlertWindow.EarliestStartAsync(db, AlertSettings.RateLimitWindowMinutes, options.Value.Alerts, now, ct);
        return await db.RateLimitUsage.IgnoreQueryFilters().Where(u => u.MinuteStart >= since && u.Refused > 0)
            .Select(u => u.TenantId).Distinct().ToListAsync(ct);
    }

    public async Task RunAsync(AlertRun run, CancellationToken ct)
    {
        var threshold = run.Thresholds[AlertSettings.RateLimitRefusals];
        var window = TimeSpan.FromMinutes(run.Thresholds[AlertSettings.RateLimitWindowMinutes]);
        if (await AlertWindow.OpenAsync(outbox, AlertKinds.RateLimitExceeded, Subject, run.Now, window, ct) is not { } open)
        {
            return;
        }

        var (from, to, slot) = open;
        var minutes = await db.RateLimitUsage.AsNoTracking()
            .Where(u => u.MinuteStart >= from && u.MinuteStart < to).ToListAsync(ct);
        var refused = minutes.Sum(m => m.Refused);
        if (refused < threshold)
        {
            return;
        }

        var allowed = minutes.Sum(m => m.Allowed);
        var worst = minutes.OrderByDescending(m => m.Refused).ThenBy(m => m.MinuteStart).First();
        var byKey = await db.RateLimitRefusals.AsNoTracking()
            .Where(r => r.OccurredAt >= from && r.OccurredAt < to)
            .GroupBy(r => r.ApiKeyId).Select(g => new { Key = g.Key, Count = g.Sum(r => r.Count) })
            .OrderByDescending(g => g.Count).Take(3).ToListAsync(ct);
        var keyIds = byKey.Select(k => k.Key).ToList();
        var names = await db.ApiKeys.AsNoTracking().Where(k => keyIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => $"“{k.Name}” ({k.KeyId})", ct);

        var span = $"{AlertMessages.Time(from)} to {AlertMessages.Time(to)}";
        var paragraphs = new List<string>
        {
            $"{refused} requests were refused by the rate limit (HTTP 429) from {span}; alerts are sent from {threshold} refusals in {window.TotalMinutes:0} minutes.",
            $"In that time {allowed} requests were allowed. The plan allows {worst.LimitPerMinute} requests per minute with a burst of {worst.Burst}; the most refusals in one minute were {worst.Refused}, at {AlertMessages.Time(worst.MinuteStart)}.",
        };
        if (byKey.Count > 0)
        {
            paragraphs.Add("Refused most: " + string.Join("; ", byKey.Select(k => $"{names.GetValueOrDefault(k.Key, k.Key.ToString())}: {k.Count}")) + ".");
        }

        paragraphs.Add("Spread requests out (honour the Retry-After header), or move to a plan with a higher limit.");
        var mail = AlertMessages.Compose($"Rate limit exceeded: {refused} requests refused", run.Tenant, paragraphs,
            "See the usage in that window", $"{baseUrl.Value}{PortalPaths.Overview}/usage?from={AlertMessages.Query(from)}&to={AlertMessages.Query(to)}");
        await outbox.SendOnceAsync(outbox.Occurrence(AlertKinds.RateLimitExceeded, Subject, slot, to), await recipients.AdminsAsync(ct), mail, ct);
    }
}
