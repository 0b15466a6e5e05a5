namespace PenguinMails.ApiUsage;

/// <summary>The roll-ups of a window summed in the database by key, endpoint, status and code: one small result, one scan.</summary>
internal static class UsageRows
{
    public sealed record Row(
        Guid ApiKeyId, bool Authenticated, string Endpoint, int Status, string ErrorCode, long Requests, double DurationMs, long[] Buckets);

    public static async Task<List<Row>> BreakdownAsync(IQueryable<ApiUsageRollup> rollups, CancellationToken ct)
    {
        var rows = await rollups
            .GroupBy(r => new { r.ApiKeyId, r.Authenticated, r.Endpoint, r.Status, r.ErrorCode })
            .Select(g => new
            {
                g.Key,
                Requests = g.Sum(r => r.Requests),
                Ms = g.Sum(r => r.DurationMsSum),
                B0 = g.Sum(r => r.B0), B1 = g.Sum(r => r.B1), B2 = g.Sum(r => r.B2), B3 = g.Sum(r => r.B3),
                B4 = g.Sum(r => r.B4), B5 = g.Sum(r => r.B5), B6 = g.Sum(r => r.B6), B7 = g.Sum(r => r.B7),
                B8 = g.Sum(r => r.B8), B9 = g.Sum(r => r.B9), B10 = g.Sum(r => r.B10), B11 = g.Sum(r => r.B11),
                B12 = g.Sum(r => r.B12), B13 = g.Sum(r => r.B13), B14 = g.Sum(r => r.B14), B15 = g.Sum(r => r.B15),
            })
            .ToListAsync(ct);
        return rows.Select(r => new Row(r.Key.ApiKeyId, r.Key.Authenticated, r.Key.Endpoint, r.Key.Status, r.Key.ErrorCode, r.Requests, r.Ms,
            [r.B0, r.B1, r.B2, r.B3, r.B4, r.B5, r.B6, r.B7, r.B8, r.B9, r.B10, r.B11, r.B12, r.B13, r.B14, r.B15])).ToList();
    }
}
