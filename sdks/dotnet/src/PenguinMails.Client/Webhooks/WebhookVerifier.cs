using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace PenguinMails;

/// <summary>
/// Verifies a webhook the server sent (Standard Webhooks, https://www.standardwebhooks.com): the headers
/// <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds, within <see cref="DefaultTolerance"/> of now, either
/// way) and <c>webhook-signature</c> (space-separated <c>v1,&lt;base64&gt;</c>, any one matching): HMAC-SHA256 over
/// <c>{id}.{timestamp}.{body}</c> keyed with the base64-decoded part of the endpoint's <c>whsec_...</c> secret,
/// compared in constant time. Verify the raw body exactly as received, before any JSON parsing.
/// </summary>
public static class WebhookVerifier
{
    /// <summary>How far a <c>webhook-timestamp</c> may be from now: 5 minutes (replay protection).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Verifies with headers given as strings (any case of their names).</summary>
    /// <param name="payload">The raw request body.</param>
    /// <param name="headers">The request's headers.</param>
    /// <param name="secret">The endpoint's signing secret (<c>whsec_...</c>).</param>
    /// <param name="tolerance">The allowed clock distance; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    /// <returns>The verified event.</returns>
    /// <exception cref="WebhookVerificationException">A header is missing, the time stamp is too old or new, or no signature matches.</exception>
    public static WebhookEvent Verify(string payload, IEnumerable<KeyValuePair<string, string>> headers, string secret, TimeSpan? tolerance = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }

        return Verify(payload, map.GetValueOrDefault("webhook-id"), map.GetValueOrDefault("webhook-timestamp"), map.GetValueOrDefault("webhook-signature"), secret, tolerance, timeProvider);
    }

    /// <summary>Verifies with ASP.NET Core's request headers (<c>Request.Headers</c>).</summary>
    /// <param name="payload">The raw request body.</param>
    /// <param name="headers">The request's headers.</param>
    /// <param name="secret">The endpoint's signing secret (<c>whsec_...</c>).</param>
    /// <param name="tolerance">The allowed clock distance; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    /// <returns>The verified event.</returns>
    /// <exception cref="WebhookVerificationException">A header is missing, the time stamp is too old or new, or no signature matches.</exception>
    public static WebhookEvent Verify(string payload, IEnumerable<KeyValuePair<string, StringValues>> headers, string secret, TimeSpan? tolerance = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return Verify(payload, headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())), secret, tolerance, timeProvider);
    }

    /// <summary>Verifies with the three header values given one by one.</summary>
    /// <param name="payload">The raw request body.</param>
    /// <param name="id">The <c>webhook-id</c> header.</param>
    /// <param name="timestamp">The <c>webhook-timestamp</c> header.</param>
    /// <param name="signature">The <c>webhook-signature</c> header.</param>
    /// <param name="secret">The endpoint's signing secret (<c>whsec_...</c>).</param>
    /// <param name="tolerance">The allowed clock distance; <see cref="DefaultTolerance"/> when null.</param>
    /// <param name="timeProvider">The clock; the system's when null.</param>
    /// <returns>The verified event.</returns>
    /// <exception cref="WebhookVerificationException">A header is missing, the time stamp is too old or new, or no signature matches.</exception>
    public static WebhookEvent Verify(string payload, string? id, string? timestamp, string? signature, string secret, TimeSpan? tolerance = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            throw new WebhookVerificationException("The webhook-id, webhook-timestamp and webhook-signature headers are required.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new WebhookVerificationException("The webhook-timestamp header is not a Unix time in seconds.");
        }

        var now = (timeProvider ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)(tolerance ?? DefaultTolerance).TotalSeconds)
        {
            throw new WebhookVerificationException("The webhook-timestamp is outside the tolerance (too old or in the future).");
        }

        var expected = HMACSHA256.HashData(Key(secret), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{payload}"));
        if (!signature.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => Matches(s, expected)))
        {
            throw new WebhookVerificationException("No webhook-signature matches the payload and secret.");
        }

        return Parse(payload, id);
    }

    private static bool Matches(string candidate, byte[] expected)
    {
        if (!candidate.StartsWith("v1,", StringComparison.Ordinal))
        {
            return false;
        }

        var bytes = new byte[64];
        return Convert.TryFromBase64String(candidate[3..], bytes, out var length)
               && CryptographicOperations.FixedTimeEquals(bytes.AsSpan(0, length), expected);
    }

    private static byte[] Key(string secret)
    {
        var encoded = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret;
        try
        {
            return Convert.FromBase64String(encoded);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The secret is not a whsec_ secret (base64 after the prefix).", nameof(secret), e);
        }
    }

    private static WebhookEvent Parse(string payload, string id)
    {
        try
        {
            var body = JsonSerializer.Deserialize(payload, PenguinMailsJsonContext.Default.WebhookEventBody)
                       ?? throw new WebhookVerificationException("The payload is not a JSON object.");
            return new WebhookEvent(id, body.Type ?? "", body.Timestamp, body.Data.Clone());
        }
        catch (JsonException e)
        {
            throw new WebhookVerificationException("The payload is not the JSON of an event.", e);
        }
    }
}
