using System.Collections.Concurrent;

namespace PenguinMails.RateLimiting;

/// <summary>
/// One <c>long</c> per tenant, updated by compare-and-swap: no lock, no allocation once a tenant is warm.
/// Tenants idle for a minute are swept; a swept cell is first marked retired so that a request racing the
/// sweep retries on a fresh cell instead of updating one that is no longer in the table.
/// </summary>
public sealed class InProcessRateLimitStore : IRateLimitStore
{
    private const long Retired = long.MinValue;
    private const long SweepEveryMicros = 60_000_000;
    private readonly ConcurrentDictionary<Guid, Cell> _cells = new();
    private long _lastSweep;

    public ValueTask<RateLimitDecision> AcquireAsync(Guid tenantId, RatePolicy policy, long now, CancellationToken ct)
    {
        while (true)
        {
            var cell = _cells.GetOrAdd(tenantId, static _ => new Cell());
            var stored = Volatile.Read(ref cell.Tat);
            if (stored == Retired)
            {
                _cells.TryRemove(new KeyValuePair<Guid, Cell>(tenantId, cell));
                continue;
            }

            var (allowed, tat) = GcraLimiter.Step(policy, stored, now);
            if (!allowed || Interlocked.CompareExchange(ref cell.Tat, tat, stored) == stored)
            {
                SweepIfDue(now);
                return ValueTask.FromResult(GcraLimiter.Describe(policy, allowed, tat, now));
            }
        }
    }

    public ValueTask<long?> PeekAsync(Guid tenantId, CancellationToken ct) =>
        ValueTask.FromResult(_cells.TryGetValue(tenantId, out var cell) && Volatile.Read(ref cell.Tat) is var tat and not Retired
            ? tat
            : (long?)null);

    private void SweepIfDue(long now)
    {
        var last = Volatile.Read(ref _lastSweep);
        if (now - last < SweepEveryMicros || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (tenantId, cell) in _cells)
        {
            // A TAT in the past means a whole allowance: the same as no entry at all.
            var tat = Volatile.Read(ref cell.Tat);
            if (tat <= now && Interlocked.CompareExchange(ref cell.Tat, Retired, tat) == tat)
            {
                _cells.TryRemove(new KeyValuePair<Guid, Cell>(tenantId, cell));
            }
        }
    }

    private sealed class Cell
    {
        public long Tat;
    }
}
