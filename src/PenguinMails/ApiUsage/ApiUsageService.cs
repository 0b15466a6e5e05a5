using Microsoft.Extensions.Caching.Memory;
using PenguinMails.Data;
using PenguinMails.RateLimiting;
using PenguinMails.Tenancy;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The usage figures of the current tenant (the API and, later, the portal's usage page read them here): summed from
/// the roll-ups of the step's grain (minute, hour or day rows), the rate limiter's per-minute counts and the raw
/// log's latest errors. Cached one minute per tenant and query (spec "Technical Integration": metrics cached for 1
/// minute); the age is judged on the server's clock, so it holds under a test's clock too.
/// </summary>
public sealed class ApiUsageService(
    AppDb db, TenantContext tenant, TenantPlans plans, IMemoryCache cache, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<PenguinMailsOptions> options)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private const int RecentErrorCount = 10;

    /// <summary>The figures and when they were computed; <c>Cached</c> when they come from the cache.</summary>
    public async Task<(ApiUsageView View, DateTime ComputedAt, bool Cached)> GetAsync(
        string cacheKey, UsageWindow window, UsageFilter filter, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (cache.TryGetValue(cacheKey, out (ApiUsageView View, DateTime At) hit) && now - hit.At < CacheFor && now >= hit.At)
        {
            return (hit.View, hit.At, true);
        }

        var view = await ComputeAsync(window, filter, ct);
        cache.Set(cacheKey, (view, now), CacheFor);
        return (view, now, false);
    }

    public async Task<ApiUsageView> ComputeAsync(UsageWindow window, UsageFilter filter, CancellationToken ct)
    {
        var rows = await UsageRows.BreakdownAsync(Rollups(window, filter), ct);
        var mine = rows.Where(r => r.Authenticated).ToList();
        var total = mine.Sum(r => r.Requests);
        var buckets = Sum(mine);
        var series = await SeriesAsync(window, filter, ct);
        return new ApiUsageView(
            window.From, window.To, window.Step, total, Rate(mine.Where(Success).Sum(r => r.Requests), total),
            total == 0 ? null : Math.Round(mine.Sum(r => r.DurationMs) / total, 2),
            LatencyHistogram.Percentile(buckets, 0.50), LatencyHistogram.Percentile(buckets, 0.95), LatencyHistogram.Percentile(buckets, 0.99),
            rows.Where(r => !r.Authenticated).Sum(r => r.Requests),
            await RateLimitAsync(window, ct),
            series,
            Endpoints(mine),
            mine.Where(r => !Success(r)).GroupBy(r => (r.Status, r.ErrorCode))
                .Select(g => new ErrorCount(g.Key.Status, g.Key.ErrorCode is "" ? null : g.Key.ErrorCode, g.Sum(r => r.Requests)))
                .OrderByDescending(e => e.Count).ThenBy(e => e.Status).ThenBy(e => e.Code, StringComparer.Ordinal).ToList(),
            await RecentErrorsAsync(window, filter, ct),
            await KeysAsync(mine, ct),
            await UnauthenticatedAsync(rows, ct));
    }

    internal IQueryable<ApiUsageRollup> Rollups(UsageWindow window, UsageFilter filter)
    {
        return db.ApiUsageRollups.AsNoTracking()
            .Where(r => r.Grain == window.Grain && r.BucketStart >= window.From && r.BucketStart < window.To)
            .Matching(filter);
    }

    /// <summary>Per step: requests, successes and errors; every step of the window present, zero when idle.</summary>
    public async Task<List<SeriesPoint>> SeriesAsync(UsageWindow window, UsageFilter filter, CancellationToken ct)
    {
        var buckets = await Rollups(window, filter).Where(r => r.Authenticated)
            .GroupBy(r => r.BucketStart)
            .Select(g => new { Start = g.Key, Total = g.Sum(r => r.Requests), Success = g.Sum(r => r.Status < 400 ? r.Requests : 0) })
            .ToListAsync(ct);
        var steps = window.Steps().ToDictionary(t => t, t => (Total: 0L, Success: 0L));
        foreach (var bucket in buckets)
        {
            var step = window.StepOf(bucket.Start);
            var (total, success) = steps[step];
            steps[step] = (total + bucket.Total, success + bucket.Success);
        }

        return steps.OrderBy(s => s.Key).Select(s => new SeriesPoint(s.Key, s.Value.Total, s.Value.Success, s.Value.Total - s.Value.Success)).ToList();
    }

    private async Task<RateLimitView> RateLimitAsync(UsageWindow window, CancellationToken ct)
    {
        var policy = RatePolicy.For(await plans.GetAsync(tenant.TenantId!.Value), options.Value.RateLimits);
        var minutes = db.RateLimitUsage.AsNoTracking().Where(u => u.MinuteStart >= window.From && u.MinuteStart < window.To);
        var peak = await minutes.OrderByDescending(u => u.Allowed + u.Refused).ThenBy(u => u.MinuteStart)
            .Select(u => new { u.MinuteStart, Used = u.Allowed + u.Refused }).FirstOrDefaultAsync(ct);
        var steps = window.Steps().ToDictionary(t => t, _ => (Used: 0L, Refused: 0L));
        var busiest = window.Step == "minute"
            ? (await minutes.Select(u => new { u.MinuteStart, Used = u.Allowed + u.Refused, u.Refused }).ToListAsync(ct))
                .Select(m => (m.MinuteStart, m.Used, m.Refused)).ToList()
            : await RateLimitSteps.BusiestAsync(db, tenant.TenantId!.Value, window, ct);
        foreach (var (start, used, refused) in busiest)
        {
            var step = window.StepOf(start);
            var (u, r) = steps[step];
            steps[step] = (Math.Max(u, used), r + refused);
        }

        var peakUsed = peak?.Used ?? 0;
        return new RateLimitView(policy.Name, policy.PerMinute, policy.Burst, peakUsed, peak?.MinuteStart,
            Math.Round((decimal)peakUsed / policy.PerMinute, 4), steps.Values.Sum(s => s.Refused),
            steps.OrderBy(s => s.Key).Select(s => new RateLimitPoint(s.Key, s.Value.Used, policy.PerMinute, s.Value.Refused)).ToList());
    }

    private async Task<List<RecentError>> RecentErrorsAsync(UsageWindow window, UsageFilter filter, CancellationToken ct)
    {
        var errors = await RequestLogQuery.Filtered(db, filter, window.From, window.To)
            .Where(r => r.Authenticated && r.Status >= 400)
            .OrderByDescending(r => r.OccurredAt).ThenByDescending(r => r.Id).Take(RecentErrorCount).ToListAsync(ct);
        var names = await KeyIdentifiersAsync(errors.Select(e => e.ApiKeyId), ct);
        return errors.Select(e => new RecentError(e.OccurredAt, e.Endpoint, e.Status, e.ErrorCode, e.ErrorMessage,
            names.GetValueOrDefault(e.ApiKeyId)?.KeyId ?? "", e.RequestId)).ToList();
    }

    private async Task<List<KeyUsage>> KeysAsync(List<UsageRows.Row> mine, CancellationToken ct)
    {
        var keys = await KeyIdentifiersAsync(mine.Select(r => r.ApiKeyId), ct);
        return mine.GroupBy(r => r.ApiKeyId).Where(g => keys.ContainsKey(g.Key)).Select(g =>
            {
                var key = keys[g.Key];
                var requests = g.Sum(r => r.Requests);
                return new KeyUsage(key.Id, key.KeyId, key.Name, requests, Rate(g.Where(Success).Sum(r => r.Requests), requests), key.LastUsedAt);
            })
            .OrderByDescending(k => k.Requests).ThenBy(k => k.KeyId, StringComparer.Ordinal).ToList();
    }

    private async Task<List<UnauthenticatedCount>> UnauthenticatedAsync(List<UsageRows.Row> rows, CancellationToken ct)
    {
        var unverified = rows.Where(r => !r.Authenticated).ToList();
        var keys = await KeyIdentifiersAsync(unverified.Select(r => r.ApiKeyId), ct);
        return unverified.GroupBy(r => (r.ApiKeyId, r.Endpoint))
            .Select(g => new UnauthenticatedCount(keys.GetValueOrDefault(g.Key.ApiKeyId)?.KeyId ?? "", g.Key.Endpoint, g.Sum(r => r.Requests)))
            .OrderByDescending(u => u.Count).ThenBy(u => u.KeyId, StringComparer.Ordinal).ThenBy(u => u.Endpoint, StringComparer.Ordinal).ToList();
    }

    private async Task<Dictionary<Guid, ApiKeys.ApiKey>> KeyIdentifiersAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        return wanted.Count == 0 ? [] : await db.ApiKeys.AsNoTracking().Where(k => wanted.Contains(k.Id)).ToDictionaryAsync(k => k.Id, ct);
    }

    private static List<EndpointUsage> Endpoints(List<UsageRows.Row> mine) =>
        mine.GroupBy(r => r.Endpoint).Select(g =>
            {
                var requests = g.Sum(r => r.Requests);
                var errors = g.Where(r => !Success(r)).Sum(r => r.Requests);
                return new EndpointUsage(g.Key, requests, Rate(requests - errors, requests), Math.Round(g.Sum(r => r.DurationMs) / requests, 2),
                    LatencyHistogram.Percentile(Sum(g), 0.95), errors);
            })
            .OrderByDescending(e => e.Requests).ThenBy(e => e.Endpoint, StringComparer.Ordinal).ToList();

    private static bool Success(UsageRows.Row row) => row.Status < 400;

    internal static decimal Rate(long part, long whole) => whole == 0 ? 0 : Math.Round((decimal)part / whole, 4);

    private static long[] Sum(IEnumerable<UsageRows.Row> rows)
    {
        var sum = new long[LatencyHistogram.Count];
        foreach (var row in rows)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += row.Buckets[i];
            }
        }

        return sum;
    }
}
