using Microsoft.Extensions.Options;
using PenguinMails.ApiUsage;
using PenguinMails.Data;
using PenguinMails.Portal;

namespace PenguinMails.Alerts;

/// <summary>
/// The error rate above its threshold (issue 11, "Alerts by email"): over the completed minutes of a window of
/// <see cref="AlertSettings.ErrorRateWindowMinutes"/> (default 15), at least <see cref="AlertSettings.ErrorRateMinRequests"/>
/// (50) requests made with the tenant's keys, of which at least <see cref="AlertSettings.ErrorRatePercent"/> (5) % were
/// answered with a status of 400 or more — the request log's per-minute roll-ups, every node's requests added up.
/// Requests whose secret was wrong are not the tenant's and count nowhere. To the admins, with the figures, the
/// endpoints and statuses that failed most, and a link to the usage page filtered to the window. At most one alert
/// per window-long slot of the clock, and a window never counts the minutes an earlier alert already reported.
/// </summary>
public sealed class ErrorRateAlerts(AppDb db, AlertOutbox outbox, AlertRecipients recipients, PublicBaseUrl baseUrl, IOptions<PenguinMailsOptions> options)
    : IAlertCheck
{
    private const string Subject = "tenant";

    /// <summary>Tenants with failed requests in the last minutes of the longest window any tenant (or the default) counts over.</summary>
    public async Task<List<Guid>> TenantsToCheckAsync(DateTime now, CancellationToken ct)
    {
        var since = await AlertWindow.EarliestStartAsync(db, AlertSettings.ErrorRateWindowMinutes, options.Value.Alerts, now, ct);
        return await db.ApiUsageRollups.IgnoreQueryFilters()
            .Where(r => r.Grain == ApiUsageRollup.MinuteGrain && r.BucketStart >= since && r.Authenticated && r.Status >= 400)
            .Select(r => r.TenantId).Distinct().ToListAsync(ct);
    }

    public async Task RunAsync(AlertRun run, CancellationToken ct)
    {
        var percent = run.Thresholds[AlertSettings.ErrorRatePercent];
        var least = run.Thresholds[AlertSettings.ErrorRateMinRequests];
        var window = TimeSpan.FromMinutes(run.Thresholds[AlertSettings.ErrorRateWindowMinutes]);
        if (await AlertWindow.OpenAsync(outbox, AlertKinds.ErrorRate, Subject, run.Now, window, ct) is not { } open)
        {
            return;
        }

        var (from, to, slot) = open;
        var rows = await db.ApiUsageRollups.AsNoTracking()
            .Where(r => r.Grain == ApiUsageRollup.MinuteGrain && r.Authenticated && r.BucketStart >= from && r.BucketStart < to)
            .Select(r => new { r.Endpoint, r.Status, r.Requests }).ToListAsync(ct);
        var total = rows.Sum(r => r.Requests);
        var failed = rows.Where(r => r.Status >= 400).ToList();
        var errors = failed.Sum(r => r.Requests);
        if (total < least || errors * 100 < percent * total)
        {
            return;
        }

        var worst = failed.GroupBy(r => (r.Endpoint, r.Status)).Select(g => (g.Key.Endpoint, g.Key.Status, Count: g.Sum(r => r.Requests)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Endpoint, StringComparer.Ordinal).Take(5);
        var rate = 100.0 * errors / total;
        var span = $"{AlertMessages.Time(from)} to {AlertMessages.Time(to)}";
        var paragraphs = new List<string>
        {
            FormattableString.Invariant(
                $"{errors} of {total} API requests ({rate:0.#} %) were answered with an error from {span}; alerts are sent from {percent} % of at least {least} requests in {window.TotalMinutes:0} minutes."),
            "Failed most: " + string.Join("; ", worst.Select(w => $"{w.Endpoint} → {w.Status}: {w.Count}")) + ".",
            "Each error's code and message are in the request log; the usage page opens it for any point of its charts.",
        };
        var mail = AlertMessages.Compose(FormattableString.Invariant($"Error rate {rate:0.#} % over {window.TotalMinutes:0} minutes"), run.Tenant, paragraphs,
            "See the usage in that window", $"{baseUrl.Value}{PortalPaths.Overview}/usage?from={AlertMessages.Query(from)}&to={AlertMessages.Query(to)}");
        await outbox.SendOnceAsync(outbox.Occurrence(AlertKinds.ErrorRate, Subject, slot, to), await recipients.AdminsAsync(ct), mail, ct);
    }
}
