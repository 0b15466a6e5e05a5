using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Webhooks;

/// <summary>What one attempt gave: the status (null when no answer), time taken, the start of the answer, the error, and Retry-After.</summary>
public sealed record WebhookAttempt(int? StatusCode, int LatencyMs, string? Excerpt, string? Error, TimeSpan? RetryAfter)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Posts one event to one endpoint, signed per the Standard Webhooks specification: <c>webhook-id</c> (the event's id,
/// the same on every attempt and replay), <c>webhook-timestamp</c> (this attempt's unix seconds) and
/// <c>webhook-signature</c> (one <c>v1,</c> signature per secret in use). Waits at most
/// <see cref="WebhookOptions.TimeoutSeconds"/>; follows no redirect.
/// </summary>
public sealed class WebhookSender(WebhookHttp http, WebhookSecrets secrets, TimeProvider time, IOptions<WebhookOptions> options)
{
    public const int ExcerptBytes = 1024;
    public const string UserAgent = "PenguinMails-Webhooks/1.0 (+https://www.standardwebhooks.com)";

    public async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, WebhookEvent e, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var body = Encoding.UTF8.GetBytes(e.Payload);
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in CustomHeaders(endpoint))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Add("webhook-id", e.WebhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSecrets.Signature(SecretsOf(endpoint, now.UtcDateTime), e.WebhookId, timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            return new WebhookAttempt((int)response.StatusCode, Elapsed(clock), excerpt, null, RetryAfter(response, now));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookAttempt(null, Elapsed(clock), null, $"No answer within {options.Value.TimeoutSeconds:0.#} s.", null);
        }
        catch (HttpRequestException failure)
        {
            var refused = failure.InnerException as RefusedAddressException ?? failure.InnerException?.InnerException as RefusedAddressException;
            var message = refused is not null ? "Refused: " + refused.Message : failure.InnerException?.Message ?? failure.Message;
            return new WebhookAttempt(null, Elapsed(clock), null, TextClip.To(message, 1000), null);
        }
    }

    private IEnumerable<string> SecretsOf(WebhookEndpoint endpoint, DateTime now)
    {
        yield return secrets.Unprotect(endpoint.ProtectedSecret);
        if (endpoint.ProtectedPreviousSecret is { } previous && endpoint.PreviousSecretUntil > now)
        {
            yield return secrets.Unprotect(previous);
        }
    }

    private Dictionary<string, string> CustomHeaders(WebhookEndpoint endpoint) =>
        secrets.UnprotectHeaders(endpoint.ProtectedHeaders) is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : [];

    /// <summary>At most <see cref="ExcerptBytes"/> of the answer, read no further; cut at a character boundary.</summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0)
        {
            read += n;
        }

        if (read == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        while (Encoding.UTF8.GetByteCount(text) > ExcerptBytes)
        {
            text = text[..^1];
        }

        return text.Replace('\0', ' ');
    }

    /// <summary>For 429 and 503: Retry-After in seconds or as an HTTP date (RFC 9110 section 10.2.3).</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } after)
        {
            return null;
        }

        var wait = after.Delta ?? (after.Date is { } date ? date - now : null);
        return wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w) : null;
    }

    private static int Elapsed(Stopwatch clock) => (int)Math.Min(int.MaxValue, clock.ElapsedMilliseconds);

}
