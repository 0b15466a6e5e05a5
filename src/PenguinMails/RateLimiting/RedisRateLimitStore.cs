using StackExchange.Redis;

namespace PenguinMails.RateLimiting;

/// <summary>
/// Tenants' TATs in Redis, shared by every node: one Lua script per decision, so that the read, the
/// decision and the write are one atomic step however many nodes ask at once. The script is
/// <see cref="GcraLimiter.Step"/> line for line. A key lives exactly as long as its TAT is in the future;
/// once it expires the tenant is idle, which is what a missing key means.
/// </summary>
/// <remarks>
/// "now" comes from the calling node's <see cref="TimeProvider"/>, not from Redis TIME: the decision is then
/// the same function of (state, now) in both stores, tests drive both with one fake clock, and the script is
/// deterministic. The price: nodes' clocks must agree (NTP); a node running δ ahead lends a tenant δ/emission
/// extra requests once, not a drift that accumulates, since TATs never move backwards.
/// </remarks>
public sealed class RedisRateLimitStore(IConnectionMultiplexer redis, string keyPrefix, TimeSpan timeout) : IRateLimitStore
{
    private const string Script = """
        local now = tonumber(ARGV[1])
        local emission = tonumber(ARGV[2])
        local capacity = tonumber(ARGV[3])
        local tat = tonumber(redis.call('GET', KEYS[1])) or now
        if tat < now then tat = now end
        local new_tat = tat + emission
        if new_tat - now <= capacity then
          redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
          return {1, new_tat}
        end
        return {0, tat}
        """;

    private static readonly RatePolicy ProbePolicy = new("probe", 60, 1);

    public async ValueTask<RateLimitDecision> AcquireAsync(Guid tenantId, RatePolicy policy, long now, CancellationToken ct)
    {
        var (allowed, tat) = await EvaluateAsync(KeyFor(tenantId), policy, now, timeout, ct);
        return GcraLimiter.Describe(policy, allowed, tat, now);
    }

    /// <summary>A plain GET: the TAT every node's decisions share. A missing key is an idle tenant.</summary>
    public async ValueTask<long?> PeekAsync(Guid tenantId, CancellationToken ct)
    {
        var value = await redis.GetDatabase().StringGetAsync(KeyFor(tenantId)).WaitAsync(timeout, ct);
        return value.HasValue && long.TryParse((string?)value, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var tat) ? tat : null;
    }

    /// <summary>
    /// A decision on a key of its own (it lives a second at most): the probe checks the very path requests take,
    /// and leaves the script loaded in Redis and this process warm before a request depends on them.
    /// </summary>
    public Task ProbeAsync(long now, TimeSpan probeTimeout) =>
        EvaluateAsync($"{keyPrefix}ratelimit:probe", ProbePolicy, now, probeTimeout, CancellationToken.None);

    public RedisKey KeyFor(Guid tenantId) => $"{keyPrefix}ratelimit:{tenantId:N}";

    private async Task<(bool Allowed, long Tat)> EvaluateAsync(
        RedisKey key, RatePolicy policy, long now, TimeSpan limit, CancellationToken ct)
    {
        var result = await redis.GetDatabase()
            .ScriptEvaluateAsync(Script, [key], [now, policy.EmissionMicros, policy.CapacityMicros])
            .WaitAsync(limit, ct);
        var reply = (long[])result!;
        return (reply[0] == 1, reply[1]);
    }
}
