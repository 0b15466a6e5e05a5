using System.Globalization;

namespace PenguinMails.RateLimiting;

/// <summary>
/// The headers of every rate-limited response. The X-RateLimit-* set is the spec's (DECISIONS.md): the plan's
/// requests per 60-second window, what can be sent right now, and the seconds until the allowance is whole.
/// RateLimit-Policy and RateLimit follow draft-ietf-httpapi-ratelimit-headers-10 (September 2025): Structured
/// Field items named by the plan, where q is the burst (what an idle tenant may send at once) and w the seconds
/// in which an empty allowance refills, so that r (remaining) never exceeds q and t (seconds until r = q) matches
/// X-RateLimit-Reset. A plan's 60/min would not do as q: an idle tenant may send 100 at once.
/// </summary>
public static class RateLimitHeaders
{
    private static readonly string Window = RatePolicy.WindowSeconds.ToString(CultureInfo.InvariantCulture);

    public static void Apply(IHeaderDictionary headers, RateLimitDecision decision)
    {
        var policy = decision.Policy;
        var remaining = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        var reset = decision.ResetAfterSeconds.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit"] = policy.PerMinute.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining;
        headers["X-RateLimit-Reset"] = reset;
        headers["X-RateLimit-Window"] = Window;
        headers["RateLimit-Policy"] = PolicyField(policy);
        headers["RateLimit"] = $"\"{policy.Name}\";r={remaining};t={reset}";
        if (!decision.Allowed)
        {
            headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    public static string PolicyField(RatePolicy policy) => string.Create(CultureInfo.InvariantCulture,
        $"\"{policy.Name}\";q={policy.Burst};w={(policy.CapacityMicros + 999_999) / 1_000_000}");
}
