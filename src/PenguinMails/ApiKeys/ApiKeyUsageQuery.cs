using PenguinMails.ApiUsage;
using PenguinMails.Data;

namespace PenguinMails.ApiKeys;

/// <summary>
/// A key's usage figures (issue 11: "per-key usage in the key-management API's answers comes from here") read from the
/// request log's roll-ups, verified requests only: the total over the roll-ups' retention (day rows), the last 24 hours
/// as the current hour and the 23 before it (hour rows), and the share of answers with a status of 400 or more.
/// </summary>
internal static class ApiKeyUsageQuery
{
    public static async Task<Dictionary<Guid, ApiKeyUsageSummary>> ForAsync(
        AppDb db, IReadOnlyCollection<Guid> keyIds, DateTime now, CancellationToken ct)
    {
        var since = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddHours(-23);
        var rollups = db.ApiUsageRollups.AsNoTracking().Where(r => r.Authenticated && keyIds.Contains(r.ApiKeyId));
        var totals = await rollups.Where(r => r.Grain == ApiUsageRollup.DayGrain)
            .GroupBy(r => r.ApiKeyId)
            .Select(g => new { KeyId = g.Key, Total = g.Sum(r => r.Requests), Errors = g.Sum(r => r.Status >= 400 ? r.Requests : 0) })
            .ToDictionaryAsync(r => r.KeyId, ct);
        var recent = await rollups.Where(r => r.Grain == ApiUsageRollup.HourGrain && r.BucketStart >= since)
            .GroupBy(r => r.ApiKeyId)
            .Select(g => new { KeyId = g.Key, Requests = g.Sum(r => r.Requests) })
            .ToDictionaryAsync(r => r.KeyId, r => r.Requests, ct);
        return keyIds.Distinct().ToDictionary(id => id, id =>
        {
            var (total, errors) = totals.TryGetValue(id, out var t) ? (t.Total, t.Errors) : (0L, 0L);
            return new ApiKeyUsageSummary(total, recent.GetValueOrDefault(id), total == 0 ? 0 : Math.Round((double)errors / total, 4));
        });
    }
}
