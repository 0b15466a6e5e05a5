using System.Globalization;
using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The busiest minute and the refusals of each hour or day of the rate limiter's per-minute rows, grouped in the
/// database: a month is 43 200 minutes, too many to read into memory on every cold query. Grouped on the time's text
/// prefix (SQLite keeps times as text; on PostgreSQL the same text is formatted in UTC), since EF's date-part
/// functions cost SQLite three strftime calls per row. Raw SQL sees no query filter: the tenant is in the WHERE.
/// </summary>
internal static class RateLimitSteps
{
    public static async Task<List<(DateTime Start, long Used, long Refused)>> BusiestAsync(
        AppDb db, Guid tenantId, UsageWindow window, CancellationToken ct)
    {
        var hourly = window.Step == "hour";
        var key = db.Database.IsNpgsql()
            ? $"to_char(minute_start AT TIME ZONE 'UTC', '{(hourly ? "YYYY-MM-DD HH24" : "YYYY-MM-DD")}')"
            : $"substr(minute_start, 1, {(hourly ? 13 : 10)})";
        var sql = $$"""
            SELECT {{key}} AS "Key", MAX(allowed + refused) AS "Used", SUM(refused) AS "Refused"
            FROM rate_limit_usage WHERE tenant_id = {0} AND minute_start >= {1} AND minute_start < {2}
            GROUP BY {{key}}
            """;
        var rows = await db.Database.SqlQueryRaw<Row>(sql, tenantId, window.From, window.To).ToListAsync(ct);
        var format = hourly ? "yyyy-MM-dd HH" : "yyyy-MM-dd";
        return rows.Select(r => (DateTime.SpecifyKind(DateTime.ParseExact(r.Key, format, CultureInfo.InvariantCulture), DateTimeKind.Utc),
            r.Used, r.Refused)).ToList();
    }

    private sealed class Row
    {
        public required string Key { get; init; }
        public long Used { get; init; }
        public long Refused { get; init; }
    }
}
