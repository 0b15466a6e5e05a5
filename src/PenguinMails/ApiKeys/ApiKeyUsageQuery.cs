using PenguinMails.Data;

namespace PenguinMails.ApiKeys;

/// <summary>Usage figures of keys from their hourly counters; "last 24 h" counts whole hours.</summary>
internal static class ApiKeyUsageQuery
{
    public static async Task<Dictionary<Guid, ApiKeyUsageSummary>> ForAsync(
        AppDb db, IReadOnlyCollection<Guid> keyIds, DateTime now, CancellationToken ct)
    {
        var dayAgo = now.AddHours(-24);
        var rows = await db.ApiKeyUsage.AsNoTracking()
            .Where(u => keyIds.Contains(u.ApiKeyId))
            .GroupBy(u => u.ApiKeyId)
            .Select(g => new
            {
                KeyId = g.Key,
                Total = g.Sum(u => u.Requests),
                Errors = g.Sum(u => u.Errors),
                Recent = g.Where(u => u.HourStart > dayAgo).Sum(u => u.Requests),
            })
            .ToListAsync(ct);
        var summaries = rows.ToDictionary(
            r => r.KeyId,
            r => new ApiKeyUsageSummary(r.Total, r.Recent, r.Total == 0 ? 0 : Math.Round((double)r.Errors / r.Total, 4)));
        foreach (var id in keyIds)
        {
            summaries.TryAdd(id, new ApiKeyUsageSummary(0, 0, 0));
        }

        return summaries;
    }
}
