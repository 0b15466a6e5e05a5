using System.Net;

namespace PenguinMails.Tests;

/// <summary>Unit tests of the backoff (full jitter), Retry-After parsing and which failures each retry mode retries.</summary>
public sealed class RetryPolicyTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(5, 16000)]
    [InlineData(6, 30000)]
    [InlineData(40, 30000)]
    public void Backoff_doubles_per_attempt_up_to_the_maximum(int attempt, double ceilingMs)
    {
        Assert.Equal(TimeSpan.Zero, RetryPolicy.Backoff(attempt, Initial, Max, 0));
        Assert.Equal(ceilingMs / 2, RetryPolicy.Backoff(attempt, Initial, Max, 0.5).TotalMilliseconds, 3);
        Assert.True(RetryPolicy.Backoff(attempt, Initial, Max, 0.999999).TotalMilliseconds <= ceilingMs);
    }

    [Fact]
    public void Backoff_is_spread_over_the_whole_window_full_jitter()
    {
        var waits = Enumerable.Range(0, 200).Select(_ => RetryPolicy.Backoff(3, Initial, Max, Random.Shared.NextDouble()).TotalMilliseconds).ToList();

        Assert.All(waits, w => Assert.InRange(w, 0, 4000));
        Assert.Contains(waits, w => w < 1000);
        Assert.Contains(waits, w => w > 3000);
    }

    [Fact]
    public void Retry_after_in_seconds_and_as_an_http_date()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.RetryAfter("7", now));
        Assert.Equal(TimeSpan.FromSeconds(0), RetryPolicy.RetryAfter(" 0 ", now));
        Assert.Equal(TimeSpan.FromSeconds(90), RetryPolicy.RetryAfter("Mon, 30 Nov 2026 12:01:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.RetryAfter("Mon, 30 Nov 2026 11:59:00 GMT", now));
        Assert.Null(RetryPolicy.RetryAfter((string?)null, now));
        Assert.Null(RetryPolicy.RetryAfter("", now));
        Assert.Null(RetryPolicy.RetryAfter("-3", now));
        Assert.Null(RetryPolicy.RetryAfter("soon", now));
        Assert.Null(RetryPolicy.RetryAfter("1.5", now));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, false, true, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true, true, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false, true, false)]
    [InlineData(HttpStatusCode.BadGateway, false, true, false)]
    [InlineData(HttpStatusCode.GatewayTimeout, false, true, false)]
    [InlineData(HttpStatusCode.InternalServerError, false, false, false)]
    [InlineData(HttpStatusCode.BadRequest, false, false, false)]
    [InlineData(HttpStatusCode.Conflict, false, false, false)]
    public void Which_statuses_each_mode_retries(HttpStatusCode status, bool retryAfter, bool always, bool onlyUnsent)
    {
        Assert.Equal(always, RetryPolicy.IsRetryable(status, retryAfter, RetryMode.Always));
        Assert.Equal(onlyUnsent, RetryPolicy.IsRetryable(status, retryAfter, RetryMode.OnlyUnsent));
    }

    [Fact]
    public void A_connection_that_never_opened_is_retried_in_every_mode_a_dropped_one_only_when_safe()
    {
        var refused = new HttpRequestException(HttpRequestError.ConnectionError, "refused");
        var dropped = new HttpRequestException(HttpRequestError.ResponseEnded, "ended");

        Assert.True(RetryPolicy.IsRetryable(refused, RetryMode.OnlyUnsent));
        Assert.True(RetryPolicy.IsRetryable(refused, RetryMode.Always));
        Assert.False(RetryPolicy.IsRetryable(dropped, RetryMode.OnlyUnsent));
        Assert.True(RetryPolicy.IsRetryable(dropped, RetryMode.Always));
    }
}
