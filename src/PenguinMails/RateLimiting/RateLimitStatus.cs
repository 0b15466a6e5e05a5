using Microsoft.Extensions.Options;
using PenguinMails.Tenancy;

namespace PenguinMails.RateLimiting;

/// <summary>
/// A tenant's rate limit as the limiter holds it at one instant: the spec's "Rate Limit Status" card
/// (api-access-routes.md §4, "Current Usage Card"; DECISIONS.md "Rate limits").
/// </summary>
/// <remarks>
/// GCRA keeps no count of requests per calendar minute: its whole state is the tenant's theoretical arrival time (TAT).
/// Each allowed request pushes the TAT one emission interval (60 s ÷ the plan's rate) ahead, and time pays it back.
/// So the honest figures are:
/// <list type="bullet">
/// <item><see cref="Used"/>: the requests the plan's rate has not yet paid back, <c>⌈(TAT − now) ÷ emission⌉</c> — the same
/// number as <c>X-RateLimit-Limit − X-RateLimit-Remaining</c> on the tenant's next answer. 45 requests just made on a
/// 300/min plan show "45 / 300 (15%)"; requests spread out at less than the plan's rate are paid back as they come and
/// hardly show. Burst capacity above the minute's rate lets it pass 100 % ("150 / 60 (250%)").</item>
/// <item><see cref="ResetSeconds"/>: whole seconds until the allowance is whole again, <c>⌈(TAT − now) ÷ 1 s⌉</c> —
/// <c>X-RateLimit-Reset</c>. 0 when nothing is in use.</item>
/// </list>
/// With Redis the TAT is the one every node decides on, so the figures are the tenant's across all nodes, read without
/// taking a request. Without Redis (or while it is unreachable) each node limits on its own, and the figures are this
/// node's (<see cref="SharedAcrossNodes"/> false; <see cref="RedisUnreachable"/> when Redis is configured but away). The plan is the one the limiter applies (<see cref="TenantPlans"/>),
/// which follows <c>tenants set-plan</c> within PenguinMails:RateLimits:PlanRefreshSeconds.
/// </remarks>
public sealed record RateLimitStatus(
    Plan Plan, int PerMinute, int Burst, int Used, int Available, int ResetSeconds, bool Enabled, bool SharedAcrossNodes,
    bool RedisUnreachable)
{
    /// <summary>"Starter", "Professional", "Business".</summary>
    public string PlanName => Plan.ToString();

    /// <summary><see cref="Used"/> as a percentage of the plan's per-minute rate, rounded; may exceed 100.</summary>
    public int Percent => (int)Math.Round(Used * 100.0 / PerMinute, MidpointRounding.AwayFromZero);

    /// <summary>
    /// From 80 % of the minute's rate on (or of the burst, were it the smaller): the spec's "Approaching rate limit"
    /// with its upgrade prompt.
    /// </summary>
    public bool Approaching => Enabled && Used * 5L >= 4L * Math.Min(PerMinute, Burst);
}

/// <summary>Reads <see cref="RateLimitStatus"/> from the limiter's store; takes no request from the allowance.</summary>
public sealed class RateLimitStatusReader(
    TenantPlans plans, FailoverRateLimitStore store, TimeProvider time, IOptions<PenguinMailsOptions> options)
{
    public async Task<RateLimitStatus> GetAsync(Guid tenantId, CancellationToken ct)
    {
        var settings = options.Value.RateLimits;
        var plan = await plans.GetAsync(tenantId);
        var policy = RatePolicy.For(plan, settings);
        if (!settings.Enabled)
        {
            return new RateLimitStatus(plan, policy.PerMinute, policy.Burst, 0, policy.Burst, 0, false, false, false);
        }

        var now = GcraLimiter.ToMicros(time.GetUtcNow());
        var (tat, shared) = await store.PeekAsync(tenantId, ct);
        var view = GcraLimiter.Describe(policy, allowed: true, tat ?? now, now);
        return new RateLimitStatus(plan, policy.PerMinute, policy.Burst, view.Used, view.Remaining, view.ResetAfterSeconds,
            true, shared, store.RedisConfigured && !shared);
    }

    /// <summary>Every plan's limits as this installation configures them, in the order of <see cref="Plan"/>.</summary>
    public IReadOnlyList<(Plan Plan, RatePolicy Policy)> Plans() =>
        Enum.GetValues<Plan>().Select(p => (p, RatePolicy.For(p, options.Value.RateLimits))).ToList();
}
