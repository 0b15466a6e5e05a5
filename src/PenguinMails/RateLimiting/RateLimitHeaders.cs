using System.Globalization;

namespace PenguinMails.RateLimiting;

/// <summary>
/// The headers of every rate-limited response, all on one scale (DECISIONS.md "Rate limits"): the burst.
/// <c>X-RateLimit-Limit</c> is the burst (what an idle tenant may send at once: 100 for starter),
/// <c>X-RateLimit-Window</c> the seconds in which a whole burst refills at the plan's rate (burst ÷ rate:
/// 100 s for starter), <c>X-RateLimit-Remaining</c> 0…Limit, <c>X-RateLimit-Reset</c> the seconds until Remaining
/// is back at Limit. So limit − remaining is what is in use, never negative: a fresh starter tenant's first answer
/// is Limit 100, Remaining 99, Reset 1, Window 100. RateLimit-Policy and RateLimit follow
/// draft-ietf-httpapi-ratelimit-headers-10 (September 2025) on the same numbers: q = Limit, w = Window,
/// r = Remaining, t = Reset.
/// </summary>
public static class RateLimitHeaders
{
    public static void Apply(IHeaderDictionary headers, RateLimitDecision decision)
    {
        var policy = decision.Policy;
        var remaining = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        var reset = decision.ResetAfterSeconds.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit"] = policy.Burst.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining;
        headers["X-RateLimit-Reset"] = reset;
        headers["X-RateLimit-Window"] = WindowSeconds(policy).ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = PolicyField(policy);
        headers["RateLimit"] = $"\"{policy.Name}\";r={remaining};t={reset}";
        if (!decision.Allowed)
        {
            headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    public static string PolicyField(RatePolicy policy) => string.Create(CultureInfo.InvariantCulture,
        $"\"{policy.Name}\";q={policy.Burst};w={WindowSeconds(policy)}");

    /// <summary>Seconds in which an empty allowance refills to a whole burst at the plan's rate, rounded up.</summary>
    public static long WindowSeconds(RatePolicy policy) => (policy.CapacityMicros + 999_999) / 1_000_000;
}
