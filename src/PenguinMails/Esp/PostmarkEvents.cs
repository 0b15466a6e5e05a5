using System.Text.Json;

namespace PenguinMails.Esp;

/// <summary>
/// Reads Postmark's webhook payloads (https://postmarkapp.com/developer/webhooks/webhooks-overview): one JSON object
/// per call, its <c>RecordType</c> one of Delivery, Bounce, SpamComplaint, Open, Click, SubscriptionChange.
/// Bounce types (https://postmarkapp.com/developer/api/bounce-api#bounce-types): HardBounce and BadEmailAddress are
/// facts about the mailbox (bounced, suppressed); SpamNotification and SpamComplaint are complaints; SoftBounce,
/// Transient, DnsError, AutoResponder and the like are temporary (Postmark retries); the rest (Blocked, ManuallyDeactivated,
/// ContentRelated...) fail the recipient without suppressing it. A SubscriptionChange that suppresses sending is an
/// unsubscribe when the recipient asked (ManualSuppression), else it repeats a bounce or complaint already reported.
/// Returns null for a record that changes nothing here (another RecordType, a reactivation).
/// </summary>
public static class PostmarkEvents
{
    private static readonly HashSet<string> MailboxBounces = new(StringComparer.OrdinalIgnoreCase) { "HardBounce", "BadEmailAddress" };
    private static readonly HashSet<string> Complaints = new(StringComparer.OrdinalIgnoreCase) { "SpamComplaint", "SpamNotification" };
    private static readonly HashSet<string> Temporary = new(StringComparer.OrdinalIgnoreCase)
    {
        "SoftBounce", "Transient", "DnsError", "AutoResponder", "OpenRelayTest", "Unknown", "ChallengeVerification", "MailFrontier",
    };

    public static EspEvent? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new EspPayloadException("body", "The body must be a JSON object.");
        }

        var type = Required(root, "RecordType");
        var messageId = Required(root, "MessageID");
        var ours = root.TryGetProperty("Metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("penguinmails_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        EspEvent Event(EspEventKind kind, string identity, string? recipient, string? detail, string? ip = null) =>
            new("postmark", kind, $"postmark:{type}:{identity}", messageId, ours, recipient, detail, ip);
        var ip = root.TryGetProperty("Geo", out var geo) && geo.ValueKind == JsonValueKind.Object ? Text(geo, "IP") : null;
        switch (type)
        {
            case "Delivery":
                var to = Required(root, "Recipient");
                return Event(EspEventKind.Delivered, $"{messageId}:{to}", to, Text(root, "Details"));
            case "Bounce" or "SpamComplaint":
                var bounceType = Text(root, "Type") ?? type;
                var email = Required(root, "Email");
                var kind = Complaints.Contains(bounceType) ? EspEventKind.Complained
                    : MailboxBounces.Contains(bounceType) ? EspEventKind.HardBounce
                    : Temporary.Contains(bounceType) ? EspEventKind.SoftBounce
                    : EspEventKind.Failed;
                var identity = root.TryGetProperty("ID", out var bounceId) ? bounceId.GetRawText() : $"{messageId}:{email}";
                return Event(kind, identity, email, $"Postmark {bounceType}: {Text(root, "Description")} {Text(root, "Details")}".Trim());
            case "Open":
                var reader = Required(root, "Recipient");
                return Event(EspEventKind.Opened, $"{messageId}:{reader}:{Text(root, "ReceivedAt")}", reader, null, ip);
            case "Click":
                var clicker = Required(root, "Recipient");
                var link = Text(root, "OriginalLink");
                return Event(EspEventKind.Clicked, $"{messageId}:{clicker}:{Text(root, "ReceivedAt")}:{link}", clicker, link, ip);
            case "SubscriptionChange":
                var who = Required(root, "Recipient");
                var suppress = root.TryGetProperty("SuppressSending", out var s) && s.ValueKind == JsonValueKind.True;
                var reason = Text(root, "SuppressionReason");
                if (!suppress)
                {
                    return null;
                }

                var change = reason switch
                {
                    "HardBounce" => EspEventKind.HardBounce,
                    "SpamComplaint" => EspEventKind.Complained,
                    _ => EspEventKind.Unsubscribed,
                };
                return Event(change, $"{messageId}:{who}:{Text(root, "ChangedAt")}", who, $"Postmark subscription change: {reason}");
            default:
                return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Required(JsonElement element, string name) =>
        Text(element, name) is { Length: > 0 } value ? value : throw new EspPayloadException(name, $"{name} is required and must be a string.");
}
