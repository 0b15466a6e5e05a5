using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.RateLimiting;

/// <summary>
/// Counts decisions per tenant and minute in memory (interlocked adds, no allocation once the minute is warm)
/// and writes them behind every PenguinMails:RateLimits:UsageFlushSeconds: counters added to rate_limit_usage
/// (so every node's share adds up), the peak kept as a maximum. Refused requests are grouped by key, path and
/// second into rate_limit_refusals, so a client hammering at thousands of requests a second costs a row a second.
/// </summary>
public sealed class RateLimitUsageRecorder(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, ILogger<RateLimitUsageRecorder> logger)
    : BackgroundService
{
    private const int MaxPendingRefusalGroups = 10_000;
    private readonly ConcurrentDictionary<(Guid Tenant, DateTime Minute), MinuteCounter> _minutes = new();
    private readonly ConcurrentDictionary<RefusalGroup, RefusalCounter> _refusals = new();
    private long _droppedRefusalGroups;

    public void Record(Guid tenantId, RateLimitDecision decision, DateTimeOffset now)
    {
        var at = now.UtcDateTime;
        var minute = new DateTime(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, DateTimeKind.Utc);
        _minutes.GetOrAdd((tenantId, minute), static _ => new MinuteCounter()).Add(decision);
    }

    public void RecordRefusal(Guid tenantId, Guid apiKeyId, string method, string path, RateLimitDecision decision, DateTimeOffset now)
    {
        var at = now.UtcDateTime;
        var second = new DateTime(at.Ticks - at.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var group = new RefusalGroup(tenantId, second, apiKeyId, method,
            TextClip.To(path, RateLimitRefusalConfiguration.MaxPath));
        if (!_refusals.TryGetValue(group, out var counter))
        {
            if (_refusals.Count >= MaxPendingRefusalGroups)
            {
                Interlocked.Increment(ref _droppedRefusalGroups); // still counted in the minute's refused total
                return;
            }

            counter = _refusals.GetOrAdd(group, static _ => new RefusalCounter());
        }

        counter.Add(decision.RetryAfterSeconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RateLimits.UsageFlushSeconds);
        var next = time.GetUtcNow() + interval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await time.SleepUntilAsync(next, stoppingToken);
                next = time.GetUtcNow() + interval; // counted from this flush's start, so a flush's length is not added to it
                await FlushAsync(final: false, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(final: true, CancellationToken.None);
        }
    }

    /// <summary>Writes what was counted; <c>final</c> (at shutdown) writes the current second's refusals too.</summary>
    public async Task FlushAsync(bool final, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await FlushRefusalsAsync(final ? DateTime.MaxValue : now.AddSeconds(-1), ct);
        var previousMinute = now.AddMinutes(-1);
        foreach (var tenantGroup in _minutes.GroupBy(e => e.Key.Tenant).ToList())
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantGroup.Key);
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            foreach (var (entry, counter) in tenantGroup)
            {
                var taken = counter.Take();
                if (taken.Allowed + taken.Refused > 0)
                {
                    try
                    {
                        await AddAsync(db, entry.Minute, taken, ct);
                    }
                    catch (Exception e)
                    {
                        counter.Return(taken);
                        logger.LogWarning(e, "Writing rate-limit usage failed; it is kept for the next flush");
                    }
                }
                else if (entry.Minute < previousMinute)
                {
                    _minutes.TryRemove(entry, out _); // no decision records into a minute that has passed
                }
            }
        }
    }

    private async Task FlushRefusalsAsync(DateTime before, CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _droppedRefusalGroups, 0) is var dropped and > 0)
        {
            logger.LogWarning("{Count} refused requests were counted but not itemised: too many distinct keys and paths at once", dropped);
        }

        var batch = new List<RateLimitRefusal>();
        // Only seconds that have passed: no request adds to them any more, so no count is lost.
        foreach (var (group, _) in _refusals.Where(r => r.Key.Second < before).ToList())
        {
            if (_refusals.TryRemove(group, out var counter))
            {
                batch.Add(new RateLimitRefusal
                {
                    TenantId = group.Tenant, OccurredAt = group.Second, ApiKeyId = group.ApiKey, Method = group.Method,
                    Path = group.Path, Count = counter.Count, RetryAfterSeconds = counter.RetryAfter,
                });
            }
        }

        foreach (var tenantBatch in batch.GroupBy(r => r.TenantId))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantBatch.Key);
                var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                db.RateLimitRefusals.AddRange(tenantBatch);
                await db.SaveChangesAsync(ct);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Writing {Count} rate-limit refusal rows failed", tenantBatch.Count());
            }
        }
    }

    private static async Task AddAsync(AppDb db, DateTime minute, MinuteTotals taken, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var updated = await db.RateLimitUsage.Where(u => u.MinuteStart == minute)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.Allowed, u => u.Allowed + taken.Allowed)
                    .SetProperty(u => u.Refused, u => u.Refused + taken.Refused)
                    .SetProperty(u => u.PeakUsed, u => u.PeakUsed > taken.PeakUsed ? u.PeakUsed : taken.PeakUsed)
                    .SetProperty(u => u.LimitPerMinute, taken.Limit)
                    .SetProperty(u => u.Burst, taken.Burst), ct);
            if (updated > 0)
            {
                return;
            }

            try
            {
                db.RateLimitUsage.Add(new RateLimitUsage
                {
                    MinuteStart = minute, Allowed = taken.Allowed, Refused = taken.Refused, PeakUsed = taken.PeakUsed,
                    LimitPerMinute = taken.Limit, Burst = taken.Burst,
                });
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another node inserted the same minute first: add to its row
            }
        }
    }

    private readonly record struct RefusalGroup(Guid Tenant, DateTime Second, Guid ApiKey, string Method, string Path);

    private readonly record struct MinuteTotals(long Allowed, long Refused, int PeakUsed, int Limit, int Burst);

    private sealed class MinuteCounter
    {
        private long _allowed;
        private long _refused;
        private int _peakUsed;
        private RatePolicy? _policy;

        public void Add(RateLimitDecision decision)
        {
            Interlocked.Increment(ref decision.Allowed ? ref _allowed : ref _refused);
            _policy = decision.Policy;
            int seen;
            while (decision.Used > (seen = Volatile.Read(ref _peakUsed))
                   && Interlocked.CompareExchange(ref _peakUsed, decision.Used, seen) != seen)
            {
            }
        }

        /// <summary>The counts since the last flush; the peak stays, since it is a maximum, not a sum.</summary>
        public MinuteTotals Take() => new(Interlocked.Exchange(ref _allowed, 0), Interlocked.Exchange(ref _refused, 0),
            Volatile.Read(ref _peakUsed), _policy?.PerMinute ?? 0, _policy?.Burst ?? 0);

        public void Return(MinuteTotals totals)
        {
            Interlocked.Add(ref _allowed, totals.Allowed);
            Interlocked.Add(ref _refused, totals.Refused);
        }
    }

    private sealed class RefusalCounter
    {
        private int _count;
        private int _retryAfter;

        public int Count => Volatile.Read(ref _count);
        public int RetryAfter => Volatile.Read(ref _retryAfter);

        public void Add(int retryAfter)
        {
            Interlocked.Increment(ref _count);
            Volatile.Write(ref _retryAfter, retryAfter);
        }
    }
}
