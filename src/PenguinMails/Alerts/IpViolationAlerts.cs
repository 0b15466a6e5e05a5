using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Portal;

namespace PenguinMails.Alerts;

/// <summary>
/// Requests refused by a key's IP allow-list (the security events <c>auth.ip_denied</c> that
/// <c>ApiKeyAuthenticationHandler</c> records; the requests themselves stay refused with 403 ip_not_allowed). To the
/// admins, at most one alert per key per clock hour (UTC): the first attempt in an hour is reported when the job next
/// runs, later ones in that hour are counted and reported in the next alert ("N further attempts"), which goes out in
/// the next hour even if the attempts have stopped. Attempts older than a day are not reported.
/// </summary>
public sealed class IpViolationAlerts(AppDb db, AlertOutbox outbox, AlertRecipients recipients, PublicBaseUrl baseUrl) : IAlertCheck
{
    private static readonly TimeSpan Lookback = TimeSpan.FromDays(1);

    public Task<List<Guid>> TenantsToCheckAsync(DateTime now, CancellationToken ct)
    {
        var since = now - Lookback;
        return db.SecurityEvents.IgnoreQueryFilters()
            .Where(e => e.Type == SecurityEventTypes.IpDenied && e.OccurredAt > since && e.OccurredAt <= now)
            .Select(e => e.TenantId).Distinct().ToListAsync(ct);
    }

    public async Task RunAsync(AlertRun run, CancellationToken ct)
    {
        var now = run.Now;
        var hour = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
        var since = now - Lookback;
        var keys = await db.SecurityEvents.AsNoTracking()
            .Where(e => e.Type == SecurityEventTypes.IpDenied && e.ApiKeyId != null && e.OccurredAt > since && e.OccurredAt <= now)
            .Select(e => e.ApiKeyId!.Value).Distinct().ToListAsync(ct);
        foreach (var keyId in keys)
        {
            var subject = keyId.ToString();
            if (await outbox.WasSentAsync(AlertKinds.IpViolation, subject, hour, ct))
            {
                continue;
            }

            var previous = await outbox.LatestAsync(AlertKinds.IpViolation, subject, ct);
            var after = previous is not null && previous.CoveredUntil > since ? previous.CoveredUntil : since;
            var attempts = await db.SecurityEvents.AsNoTracking()
                .Where(e => e.Type == SecurityEventTypes.IpDenied && e.ApiKeyId == keyId && e.OccurredAt > after && e.OccurredAt <= now)
                .Select(e => new { e.OccurredAt, e.IpAddress, e.Detail, e.Occurrences }).ToListAsync(ct);
            if (attempts.Count == 0)
            {
                continue;
            }

            var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, ct);
            if (key is null)
            {
                continue;
            }

            var last = attempts.MaxBy(a => a.OccurredAt)!;
            // An entry may stand for many refusals (IpDenials writes one summary a minute during a flood): add them up.
            var count = attempts.Sum(a => (long)a.Occurrences);
            var addresses = attempts.GroupBy(a => a.IpAddress ?? "unknown").Select(g => (Ip: g.Key, Count: g.Sum(a => (long)a.Occurrences)))
                .OrderByDescending(g => g.Count).Take(5).Select(g => $"{g.Ip} ({g.Count})");
            var lead = previous is not null && previous.CoveredUntil > since
                ? $"{count} further requests with the API key “{key.Name}” came from addresses outside its allow-list since the alert of {AlertMessages.Time(previous.CreatedAt)}, and were refused."
                : $"{count} {(count == 1 ? "request" : "requests")} with the API key “{key.Name}” came from {(count == 1 ? "an address" : "addresses")} outside its allow-list, and {(count == 1 ? "was" : "were")} refused.";
            var paragraphs = new[]
            {
                lead,
                $"Key: {key.Name} — identifier {key.KeyId}. Allowed: {(key.AllowedIps.Count == 0 ? "any address" : string.Join(", ", key.AllowedIps))}.",
                $"From: {string.Join(", ", addresses)}. Last attempt: {AlertMessages.Time(last.OccurredAt)}{(last.Detail is null ? "" : $", {last.Detail}")}.",
                "If these requests are yours, add the address to the key's allow-list; if not, the key's secret may have leaked: rotate or revoke it. Further attempts within the hour are counted and reported in the next alert.",
            };
            var mail = AlertMessages.Compose($"Requests from a disallowed IP with key “{key.Name}”", run.Tenant, paragraphs,
                "Review the key in the portal", $"{baseUrl.Value}{PortalPaths.Keys}/{key.Id}");
            await outbox.SendOnceAsync(outbox.Occurrence(AlertKinds.IpViolation, subject, hour, last.OccurredAt), await recipients.AdminsAsync(ct), mail, ct);
        }
    }
}
