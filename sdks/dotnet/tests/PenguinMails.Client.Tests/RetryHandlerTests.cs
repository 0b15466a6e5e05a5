using System.Net;

namespace PenguinMails.Tests;

/// <summary>
/// The retry handler alone, over a scripted inner handler: what happens at the transport level that the proxy cannot
/// produce (a connection refused before it opened) and the attempt counts per mode.
/// </summary>
public sealed class RetryHandlerTests
{
    [Fact]
    public async Task A_secret_returning_call_is_retried_when_the_connection_never_opened()
    {
        var (calls, response) = await RunAsync(RetryMode.OnlyUnsent, 2, _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"));

        Assert.Equal(3, calls);
        Assert.Null(response);
    }

    [Fact]
    public async Task A_secret_returning_call_is_not_retried_when_the_answer_was_lost()
    {
        var (calls, response) = await RunAsync(RetryMode.OnlyUnsent, 2, _ => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));

        Assert.Equal(1, calls);
        Assert.Null(response);
    }

    [Fact]
    public async Task A_secret_returning_call_is_not_retried_after_a_timeout()
    {
        var handler = new Scripted(_ => throw new TaskCanceledException("timed out"));
        using var invoker = Invoker(handler, 2, TimeSpan.FromSeconds(5));

        await Assert.ThrowsAsync<TimeoutException>(() => invoker.SendAsync(Request(RetryMode.OnlyUnsent), CancellationToken.None));

        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task An_idempotent_call_is_retried_until_the_limit_then_the_last_answer_is_returned()
    {
        var (calls, response) = await RunAsync(RetryMode.Always, 2, _ => new HttpResponseMessage(HttpStatusCode.BadGateway));

        Assert.Equal(3, calls);
        Assert.Equal(HttpStatusCode.BadGateway, response!.StatusCode);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_maximum_delay_is_not_waited_for()
    {
        var (calls, response) = await RunAsync(RetryMode.Always, 2, _ =>
        {
            var r = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            r.Headers.TryAddWithoutValidation("Retry-After", "3600");
            return r;
        });

        Assert.Equal(1, calls);
        Assert.Equal(HttpStatusCode.TooManyRequests, response!.StatusCode);
    }

    [Fact]
    public async Task The_same_request_and_idempotency_key_go_out_on_every_attempt()
    {
        var keys = new List<string>();
        var (calls, _) = await RunAsync(RetryMode.Always, 1, request =>
        {
            keys.Add(request.Headers.GetValues("Idempotency-Key").Single());
            return new HttpResponseMessage(keys.Count == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK);
        });

        Assert.Equal(2, calls);
        Assert.Equal(keys[0], keys[1]);
    }

    private static async Task<(int Calls, HttpResponseMessage? Response)> RunAsync(RetryMode mode, int maxRetries, Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        var handler = new Scripted(answer);
        using var invoker = Invoker(handler, maxRetries, TimeSpan.FromSeconds(5));
        try
        {
            var response = await invoker.SendAsync(Request(mode), CancellationToken.None);
            return (handler.Calls, response);
        }
        catch (HttpRequestException)
        {
            return (handler.Calls, null);
        }
    }

    private static HttpMessageInvoker Invoker(HttpMessageHandler inner, int maxRetries, TimeSpan timeout)
        => new(new PenguinMailsRetryHandler(new PenguinMailsClientOptions
        {
            MaxRetries = maxRetries, InitialRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromSeconds(2), Timeout = timeout,
        })
        { InnerHandler = inner });

    private static HttpRequestMessage Request(RetryMode mode)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://127.0.0.1:9/api/v1/platform/api-keys"));
        request.Headers.TryAddWithoutValidation("Idempotency-Key", Guid.NewGuid().ToString());
        request.Options.Set(PenguinMailsRetryHandler.ModeKey, mode);
        return request;
    }

    private sealed class Scripted(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(answer(request));
        }
    }
}
