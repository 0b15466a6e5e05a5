using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Esp;

/// <summary>Calls to the inbound webhook URLs the way Postmark and Mailgun make them.</summary>
public static class EspWebhookCalls
{
    /// <summary>Postmark puts the URL's user and password in a basic Authorization header.</summary>
    public static Task<HttpResponseMessage> PostmarkAsync(this PenguinMailsFactory app, string webhookUrl, object payload, string? password = null)
    {
        var url = new Uri(webhookUrl);
        var parts = Uri.UnescapeDataString(url.UserInfo).Split(':', 2);
        var request = new HttpRequestMessage(HttpMethod.Post, url.AbsolutePath) { Content = JsonContent.Create(payload, options: new()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{parts[0]}:{password ?? parts[1]}")));
        return app.Client().SendAsync(request);
    }

    /// <summary>A body of raw bytes (text that is not text: lone surrogate escapes, bytes that are not UTF-8) to an inbound
    /// URL, with Postmark's basic credentials when the URL carries them.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this PenguinMailsFactory app, string webhookUrl, byte[] body)
    {
        var url = new Uri(webhookUrl);
        var request = new HttpRequestMessage(HttpMethod.Post, url.AbsolutePath) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (url.UserInfo.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
        }

        return app.Client().SendAsync(request);
    }

    /// <summary>
    /// JSON bodies <paramref name="before"/> + a string that is not text + <paramref name="after"/>: an unpaired high and
    /// low surrogate escape, a NUL escape, and a byte that is not UTF-8.
    /// </summary>
    public static IEnumerable<byte[]> WithTextThatIsNot(string before, string after)
    {
        foreach (var value in new[] { "\"\\ud800\"", "\"a\\udc00b\"", "\"a\\u0000b\"" })
        {
            yield return Encoding.UTF8.GetBytes(before + value + after);
        }

        yield return [.. Encoding.UTF8.GetBytes(before + "\"a"), 0xFF, .. Encoding.UTF8.GetBytes("b\"" + after)];
    }

    /// <summary>A Mailgun call signed with <paramref name="signingKey"/> at the server's clock (or <paramref name="timestamp"/>).</summary>
    public static Task<HttpResponseMessage> MailgunAsync(this PenguinMailsFactory app, string webhookUrl, object eventData, string signingKey,
        string? token = null, long? timestamp = null)
    {
        var time = (timestamp ?? app.Clock.GetUtcNow().ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        token ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(25));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes(time + token)));
        var body = new Dictionary<string, object>
        {
            ["signature"] = new { timestamp = time, token, signature },
            ["event-data"] = eventData,
        };
        return app.Client().PostAsync(new Uri(webhookUrl).AbsolutePath, JsonContent.Create(body, options: new()));
    }

    public static object MailgunEvent(string type, string messageId, string recipient, object? extra = null)
    {
        var data = new Dictionary<string, object>
        {
            ["event"] = type, ["id"] = Guid.NewGuid().ToString("N")[..22], ["timestamp"] = 1764500000.5, ["recipient"] = recipient,
            ["message"] = new { headers = new Dictionary<string, string> { ["message-id"] = messageId } },
        };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            data[property.Name.Replace('_', '-')] = property.GetValue(extra)!;
        }

        return data;
    }
}
