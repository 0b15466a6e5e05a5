namespace PenguinMails.RateLimiting;

/// <summary>
/// Where tenants' GCRA state lives: in this process (<see cref="InProcessRateLimitStore"/>) or in Redis, shared by
/// every node (<see cref="RedisRateLimitStore"/>). Each decision is one atomic <see cref="GcraLimiter.Step"/>.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Decides one request; <c>now</c> is microseconds since the Unix epoch, from the caller's <see cref="TimeProvider"/>.</summary>
    ValueTask<RateLimitDecision> AcquireAsync(Guid tenantId, RatePolicy policy, long now, CancellationToken ct);

    /// <summary>The tenant's stored TAT (microseconds since the Unix epoch) without taking a request; null when idle.</summary>
    ValueTask<long?> PeekAsync(Guid tenantId, CancellationToken ct);
}
