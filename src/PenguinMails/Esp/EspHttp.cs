using System.Net;
using System.Text.Json;
using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Esp;

/// <summary>What the two ESP transports share about HTTP: failures without an answer, Retry-After, answer excerpts.</summary>
internal static class EspHttp
{
    /// <summary>The named HttpClient both use (no redirects, the timeout of EspOptions).</summary>
    public const string Client = "esp";

    public static bool IsTransient(Exception e, CancellationToken ct) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested);

    /// <summary>No answer: retried like a lost SMTP connection. The text names no .NET type and no credential.</summary>
    public static TransportResult Unreachable(string service, Exception e) =>
        TransportResult.Failed(ReplyVerdict.Retry, null, e is OperationCanceledException
            ? $"{service} did not answer in time"
            : $"{service} could not be reached: {e.Message}");

    /// <summary>Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), at most a day.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return wait is { } w && w > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Min(w.TotalSeconds, 86_400)) : null;
    }

    public static bool IsRetryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The first 300 characters of an answer, on one line.</summary>
    public static string Excerpt(string body)
    {
        var line = body.ReplaceLineEndings(" ").Trim();
        return TextClip.Shortened(line, 300);
    }

    public static JsonElement? TryParse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The elements of a JSON array answer (Postmark's batch results), or null when the answer is not one.</summary>
    public static IReadOnlyList<JsonElement?>? TryParseArray(string body) =>
        TryParse(body) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().Select(e => (JsonElement?)e).ToList() : null;

    public static string? Text(this JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    public static int? Number(this JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt32(out var n) ? n : null;
}
