using PenguinMails.Tenancy;

namespace PenguinMails.RateLimiting;

/// <summary>A plan's limit in GCRA terms: one request per <see cref="EmissionMicros"/>, <see cref="Burst"/> at once.</summary>
public sealed record RatePolicy(string Name, int PerMinute, int Burst)
{
    public const int WindowSeconds = 60;

    /// <summary>The time one request "costs": 1 s at 60/min.</summary>
    public long EmissionMicros { get; } = WindowSeconds * 1_000_000L / PerMinute;

    /// <summary>How far ahead of now the theoretical arrival time may run: a whole burst.</summary>
    public long CapacityMicros => EmissionMicros * Burst;

    public static RatePolicy For(Plan plan, RateLimitOptions options)
    {
        var limit = plan switch
        {
            Plan.Professional => options.Professional,
            Plan.Business => options.Business,
            _ => options.Starter,
        };
        return new RatePolicy(plan.ToString().ToLowerInvariant(), limit.PerMinute, limit.Burst);
    }
}

/// <summary>One request's verdict and what the headers tell the client.</summary>
public sealed record RateLimitDecision(
    RatePolicy Policy, bool Allowed, int Remaining, int ResetAfterSeconds, int RetryAfterSeconds)
{
    /// <summary>The part of the burst in use after this request: what "peak use" records.</summary>
    public int Used => Policy.Burst - Remaining;
}

/// <summary>
/// The generic cell rate algorithm (GCRA), the one state transition both stores apply. A tenant's whole
/// state is its theoretical arrival time (TAT): when it would next be idle if it kept to the plan's rate.
/// A request is allowed when taking it leaves the TAT at most one burst ahead of now. So an idle tenant
/// (TAT ≤ now) can make exactly <c>Burst</c> requests at once, then one per emission interval.
/// Times are microseconds since the Unix epoch: exact as integers, and exact as Lua's doubles too.
/// </summary>
public static class GcraLimiter
{
    /// <summary>Decides a request: whether it is allowed, and the TAT to keep (unchanged when refused).</summary>
    public static (bool Allowed, long Tat) Step(RatePolicy policy, long storedTat, long now)
    {
        var tat = Math.Max(storedTat, now);
        var next = tat + policy.EmissionMicros;
        return next - now <= policy.CapacityMicros ? (true, next) : (false, tat);
    }

    /// <summary>What a client is told, from the TAT after the decision.</summary>
    public static RateLimitDecision Describe(RatePolicy policy, bool allowed, long tat, long now)
    {
        var inUse = Math.Max(0, tat - now);
        var remaining = (int)((policy.CapacityMicros - inUse) / policy.EmissionMicros);
        var retryAfter = allowed ? 0 : Math.Max(1, CeilingSeconds(inUse + policy.EmissionMicros - policy.CapacityMicros));
        return new RateLimitDecision(policy, allowed, Math.Max(0, remaining), CeilingSeconds(inUse), retryAfter);
    }

    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static int CeilingSeconds(long micros) => (int)((micros + 999_999) / 1_000_000);
}
