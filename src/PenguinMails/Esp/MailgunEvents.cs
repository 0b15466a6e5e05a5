using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PenguinMails.Delivery;

namespace PenguinMails.Esp;

/// <summary>
/// Reads Mailgun's webhook payloads (https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks/
/// and .../tracking-messages/#webhooks): <c>{"signature": {timestamp, token, signature}, "event-data": {...}}</c>.
/// The signature is the hex HMAC-SHA256 of timestamp + token under the domain's webhook signing key, compared in
/// constant time. Events: delivered; failed with severity temporary (Mailgun retries) or permanent, a permanent one a
/// hard bounce only when its SMTP answer says the mailbox is bad (<see cref="SmtpReplyClassifier"/>, the same rule as our
/// own relay's replies) or Mailgun dropped it for an earlier bounce (reason suppress-bounce); complained; unsubscribed;
/// opened; clicked. Each event carries its own <c>id</c>, the same on every delivery of it.
/// </summary>
public static class MailgunEvents
{
    public sealed record Signature(string Timestamp, string Token, string Hex);

    public static Signature ReadSignature(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("signature", out var s) || s.ValueKind != JsonValueKind.Object)
        {
            throw new EspPayloadException("signature", "signature is required and must be an object of timestamp, token and signature.");
        }

        return new Signature(Required(s, "timestamp", "signature.timestamp"), Required(s, "token", "signature.token"),
            Required(s, "signature", "signature.signature"));
    }

    /// <summary>True when the signature is the signing key's and its timestamp within <paramref name="maxAge"/> of now.</summary>
    public static bool Verify(Signature signature, string signingKey, DateTimeOffset now, TimeSpan maxAge, out string why)
    {
        if (!long.TryParse(signature.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > maxAge.TotalSeconds)
        {
            why = "the signature's timestamp is missing or more than the allowed age away from now";
            return false;
        }

        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes(signature.Timestamp + signature.Token));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.Hex);
        }
        catch (FormatException)
        {
            given = [];
        }

        why = "the signature does not match the webhook signing key";
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public static EspEvent? Read(JsonElement root)
    {
        if (!root.TryGetProperty("event-data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new EspPayloadException("event-data", "event-data is required and must be an object.");
        }

        var type = Required(data, "event", "event-data.event");
        var id = Required(data, "id", "event-data.id");
        var recipient = Text(data, "recipient");
        var messageId = data.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object
            ? Text(headers, "message-id")?.Trim().TrimStart('<').TrimEnd('>') : null;
        var ours = data.TryGetProperty("user-variables", out var variables) && variables.ValueKind == JsonValueKind.Object
            ? Text(variables, "penguinmails_id") : null;
        if (messageId is null && ours is null)
        {
            throw new EspPayloadException("event-data.message.headers.message-id", "The event names no message (message-id or user-variables.penguinmails_id).");
        }

        EspEvent Event(EspEventKind kind, string? detail) =>
            new("mailgun", kind, $"mailgun:{id}", messageId, ours, recipient, detail, Text(data, "ip"));
        return type switch
        {
            "delivered" => Event(EspEventKind.Delivered, Status(data)),
            "failed" => Event(Failure(data), $"Mailgun failed ({Text(data, "severity")}, {Text(data, "reason")}): {Status(data)}".Trim()),
            "complained" => Event(EspEventKind.Complained, "Mailgun complaint"),
            "unsubscribed" => Event(EspEventKind.Unsubscribed, "Mailgun unsubscribe"),
            "opened" => Event(EspEventKind.Opened, null),
            "clicked" => Event(EspEventKind.Clicked, Text(data, "url")),
            _ => null,
        };
    }

    private static EspEventKind Failure(JsonElement data)
    {
        if (Text(data, "severity") != "permanent")
        {
            return EspEventKind.SoftBounce;
        }

        if (Text(data, "reason") == "suppress-bounce")
        {
            return EspEventKind.HardBounce;
        }

        var (code, text) = StatusParts(data);
        return code is { } c && SmtpReplyClassifier.Classify(SmtpStage.Recipient, c, text) == ReplyVerdict.MailboxBounce
            ? EspEventKind.HardBounce : EspEventKind.Failed;
    }

    private static (int? Code, string? Text) StatusParts(JsonElement data)
    {
        if (!data.TryGetProperty("delivery-status", out var status) || status.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        int? code = status.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
        var enhanced = Text(status, "enhanced-code");
        var text = Text(status, "message") ?? Text(status, "description");
        // The enhanced code (RFC 3463) is what tells a bad mailbox apart; Mailgun gives it beside the reply's text.
        return (code, enhanced is not null && text?.StartsWith(enhanced, StringComparison.Ordinal) != true ? $"{enhanced} {text}" : text);
    }

    private static string Status(JsonElement data) => StatusParts(data) is ({ } code, var text) ? $"{code} {text}".Trim() : "";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Required(JsonElement element, string name, string field) =>
        Text(element, name) is { Length: > 0 } value ? value : throw new EspPayloadException(field, $"{field} is required and must be a string.");
}
