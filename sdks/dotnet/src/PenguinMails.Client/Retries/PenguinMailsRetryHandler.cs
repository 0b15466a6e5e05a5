using System.Net;

namespace PenguinMails;

/// <summary>
/// The retry loop of the client's HttpClient pipeline (sdk-contract "Retries"): re-sends the same request — so the
/// same <c>Idempotency-Key</c> — after 429, 502/503/504 and failures without an answer, waiting per
/// <see cref="RetryPolicy"/> and honouring <c>Retry-After</c>. Each attempt has its own timeout
/// (<see cref="PenguinMailsClientOptions.Timeout"/>). Operations that must not repeat are marked with
/// <see cref="ModeKey"/> by the client.
/// </summary>
public sealed class PenguinMailsRetryHandler : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<RetryMode> ModeKey = new("PenguinMails.RetryMode");

    private readonly PenguinMailsClientOptions options;
    private readonly TimeProvider time;

    /// <summary>A handler with the given settings; <paramref name="timeProvider"/> defaults to the system clock.</summary>
    /// <param name="options">Retry count, delays and per-attempt timeout.</param>
    /// <param name="timeProvider">The clock for waits and HTTP-date <c>Retry-After</c> values.</param>
    public PenguinMailsRetryHandler(PenguinMailsClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var mode = request.Options.TryGetValue(ModeKey, out var m) ? m : RetryMode.Always;
        for (var attempt = 0; ; attempt++)
        {
            TimeSpan? wait;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.Timeout);
                HttpResponseMessage response;
                try
                {
                    response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    var timedOut = new TimeoutException($"No answer within {options.Timeout.TotalSeconds:0.###} s.", e);
                    if (attempt >= options.MaxRetries || mode != RetryMode.Always)
                    {
                        throw timedOut;
                    }

                    wait = null;
                    await DelayAsync(attempt, wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (HttpRequestException e) when (attempt < options.MaxRetries && RetryPolicy.IsRetryable(e, mode))
                {
                    await DelayAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                wait = RetryPolicy.RetryAfter(response.Headers, time.GetUtcNow());
                var retry = RetryPolicy.IsRetryable(response.StatusCode, wait is not null, mode)
                    || (attempt > 0 && mode == RetryMode.Always && await IsInFlightAsync(response, timeout.Token).ConfigureAwait(false));
                if (!retry || attempt >= options.MaxRetries || wait > options.MaxRetryDelay)
                {
                    return response;
                }

                response.Dispose();
            }

            await DelayAsync(attempt, wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A retry that reached the server while the first attempt still ran: 409 IDEMPOTENCY_KEY_IN_FLIGHT, worth waiting for.</summary>
    private static async Task<bool> IsInFlightAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            return false;
        }

        await response.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        return body.Contains("\"IDEMPOTENCY_KEY_IN_FLIGHT\"", StringComparison.Ordinal);
    }

    private Task DelayAsync(int attempt, TimeSpan? retryAfter, CancellationToken ct)
    {
        var delay = retryAfter ?? RetryPolicy.Backoff(attempt, options.InitialRetryDelay, options.MaxRetryDelay, Random.Shared.NextDouble());
        return delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, ct);
    }
}
