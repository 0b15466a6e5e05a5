using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace PenguinMails;

/// <summary>
/// The retry decisions, free of I/O so they can be tested alone: which answers and failures are retried for a
/// <see cref="RetryMode"/>, the exponential backoff with full jitter (a random wait between 0 and
/// min(max, initial × 2^attempt)), and <c>Retry-After</c> (RFC 9110 §10.2.3: delay-seconds or an HTTP date).
/// </summary>
internal static class RetryPolicy
{
    /// <summary>The wait before retry number <paramref name="attempt"/> + 1 (0-based), given a random number in [0, 1).</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan initial, TimeSpan max, double random)
    {
        var ceiling = initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(ceiling, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * Math.Clamp(random, 0, 1));
    }

    /// <summary>The wait a <c>Retry-After</c> value asks for at <paramref name="now"/>; null when absent or unreadable; never negative.</summary>
    public static TimeSpan? RetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds - 1));
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>The <c>Retry-After</c> of an answer (either form), at <paramref name="now"/>.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } parsed)
        {
            if (parsed.Delta is { } delta)
            {
                return delta;
            }

            if (parsed.Date is { } date)
            {
                return date > now ? date - now : TimeSpan.Zero;
            }
        }

        return headers.TryGetValues("Retry-After", out var raw) ? RetryAfter(raw.FirstOrDefault(), now) : null;
    }

    /// <summary>Whether an answer with this status is retried: 429 always; 503 with Retry-After always; 502/503/504 when the operation may repeat.</summary>
    public static bool IsRetryable(HttpStatusCode status, bool hasRetryAfter, RetryMode mode) => status switch
    {
        HttpStatusCode.TooManyRequests => true,
        HttpStatusCode.ServiceUnavailable when hasRetryAfter => true,
        HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => mode == RetryMode.Always,
        _ => false,
    };

    /// <summary>
    /// Whether a failure without an answer is retried: a connection that never opened (refused, name not resolved)
    /// always; any other (reset, dropped, timed out — the request may have been processed) only in <see cref="RetryMode.Always"/>.
    /// </summary>
    public static bool IsRetryable(Exception failure, RetryMode mode)
        => mode == RetryMode.Always || NeverConnected(failure);

    /// <summary>True when the failure happened before a connection existed, so the server cannot have seen the request.</summary>
    public static bool NeverConnected(Exception failure)
        => failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
}
