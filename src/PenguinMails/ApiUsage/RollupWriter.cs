using System.Text;
using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// Adds a batch's roll-ups to the stored ones with <c>INSERT ... ON CONFLICT (...) DO UPDATE SET x = x + excluded.x</c>,
/// the same statement on SQLite (3.24+) and PostgreSQL, so that several nodes writing the same minute add up instead
/// of overwriting each other. Rows go in key order, so two nodes' statements lock in the same order and never deadlock.
/// </summary>
internal static class RollupWriter
{
    private const int RowsPerStatement = 400; // 27 parameters a row, well under either database's limit

    private static readonly string[] KeyColumns =
        ["tenant_id", "grain", "bucket_start", "api_key_id", "authenticated", "endpoint", "status", "error_code"];

    private static readonly string[] AddedColumns =
        ["requests", "duration_ms_sum", .. Enumerable.Range(0, LatencyHistogram.Count).Select(i => $"b{i}")];

    public static List<ApiUsageRollup> Aggregate(IEnumerable<ApiRequest> requests)
    {
        var rows = new Dictionary<(int, DateTime, Guid, bool, string, int, string), ApiUsageRollup>();
        foreach (var request in requests)
        {
            AddTo(rows, request);
        }

        return InKeyOrder(rows);
    }

    /// <summary>Adds one request to its minute, hour and day rows in <paramref name="rows"/> (a gathering of several batches).</summary>
    public static void AddTo(Dictionary<(int, DateTime, Guid, bool, string, int, string), ApiUsageRollup> rows, ApiRequest request)
    {
        var at = request.OccurredAt;
        var minute = new DateTime(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, DateTimeKind.Utc);
        var hour = minute.AddMinutes(-minute.Minute);
        Add(rows, request, ApiUsageRollup.MinuteGrain, minute);
        Add(rows, request, ApiUsageRollup.HourGrain, hour);
        Add(rows, request, ApiUsageRollup.DayGrain, hour.AddHours(-hour.Hour));
    }

    /// <summary>The gathered rows in key order, the order every node writes in (no deadlock between two nodes' statements).</summary>
    public static List<ApiUsageRollup> InKeyOrder(Dictionary<(int, DateTime, Guid, bool, string, int, string), ApiUsageRollup> rows) =>
        rows.OrderBy(r => r.Key).Select(r => r.Value).ToList();

    private static void Add(Dictionary<(int, DateTime, Guid, bool, string, int, string), ApiUsageRollup> rows,
        ApiRequest request, int grain, DateTime bucket)
    {
        var code = request.ErrorCode ?? "";
        var key = (grain, bucket, request.ApiKeyId, request.Authenticated, request.Endpoint, request.Status, code);
        if (!rows.TryGetValue(key, out var row))
        {
            rows[key] = row = new ApiUsageRollup
            {
                TenantId = request.TenantId, Grain = grain, BucketStart = bucket, ApiKeyId = request.ApiKeyId,
                Authenticated = request.Authenticated, Environment = request.Environment, Endpoint = request.Endpoint,
                Status = request.Status, ErrorCode = code,
            };
        }

        row.Requests++;
        row.DurationMsSum += request.DurationMs;
        switch (LatencyHistogram.BucketOf(request.DurationMs))
        {
            case 0: row.B0++; break;
            case 1: row.B1++; break;
            case 2: row.B2++; break;
            case 3: row.B3++; break;
            case 4: row.B4++; break;
            case 5: row.B5++; break;
            case 6: row.B6++; break;
            case 7: row.B7++; break;
            case 8: row.B8++; break;
            case 9: row.B9++; break;
            case 10: row.B10++; break;
            case 11: row.B11++; break;
            case 12: row.B12++; break;
            case 13: row.B13++; break;
            case 14: row.B14++; break;
            default: row.B15++; break;
        }
    }

    public static async Task AddAsync(AppDb db, IReadOnlyList<ApiUsageRollup> rows, CancellationToken ct)
    {
        for (var offset = 0; offset < rows.Count; offset += RowsPerStatement)
        {
            var chunk = rows.Skip(offset).Take(RowsPerStatement).ToList();
            var (sql, parameters) = Statement(chunk);
            await db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
        }
    }

    private static (string Sql, object[] Parameters) Statement(List<ApiUsageRollup> rows)
    {
        var columns = KeyColumns.Append("environment").Concat(AddedColumns).ToArray();
        var sql = new StringBuilder("INSERT INTO api_usage_rollups (").AppendJoin(", ", columns).Append(") VALUES ");
        var parameters = new List<object>(rows.Count * columns.Length);
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            sql.Append(index == 0 ? "(" : ", (");
            object[] values =
            [
                row.TenantId, row.Grain, row.BucketStart, row.ApiKeyId, row.Authenticated, row.Endpoint, row.Status,
                row.ErrorCode, row.Environment, row.Requests, row.DurationMsSum, .. LatencyHistogram.Of(row).Cast<object>(),
            ];
            sql.AppendJoin(", ", values.Select((_, i) => $"{{{parameters.Count + i}}}")).Append(')');
            parameters.AddRange(values);
        }

        sql.Append(" ON CONFLICT (").AppendJoin(", ", KeyColumns).Append(") DO UPDATE SET ")
            .AppendJoin(", ", AddedColumns.Select(c => $"{c} = api_usage_rollups.{c} + excluded.{c}"));
        return (sql.ToString(), parameters.ToArray());
    }
}
