using PenguinMails.Emails;

namespace PenguinMails.Webhooks;

/// <summary>The event types of issue 12, each with what it means (shown in the OpenAPI document) and its data's shape.</summary>
public static class WebhookEventTypes
{
    public const string EmailQueued = "email.queued";
    public const string EmailSent = "email.sent";
    public const string EmailDelivered = "email.delivered";
    public const string EmailDeferred = "email.deferred";
    public const string EmailBounced = "email.bounced";
    public const string EmailFailed = "email.failed";
    public const string EmailOpened = "email.opened";
    public const string EmailClicked = "email.clicked";
    public const string EmailComplained = "email.complained";
    public const string EmailUnsubscribed = "email.unsubscribed";
    public const string EmailSuppressed = "email.suppressed";
    public const string ContactCreated = "contact.created";
    public const string ContactUpdated = "contact.updated";
    public const string ContactDeleted = "contact.deleted";
    public const string CampaignStatusChanged = "campaign.status_changed";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRotated = "api_key.rotated";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string ApiKeyExpiring = "api_key.expiring";
    public const string WebhookTest = "webhook.test";

    public sealed record Info(string Type, string Description, Type Payload);

    public static readonly IReadOnlyList<Info> Described =
    [
        new(EmailQueued, "A message was accepted and queued for delivery.", typeof(EmailWebhookPayload)),
        new(EmailSent, "The relay accepted the message for a recipient.", typeof(EmailWebhookPayload)),
        new(EmailDelivered, "An ESP confirmed delivery to the recipient's mailbox.", typeof(EmailWebhookPayload)),
        new(EmailDeferred, "Delivery was refused for now and will be tried again.", typeof(EmailWebhookPayload)),
        new(EmailBounced, "The recipient's server refused the message for good.", typeof(EmailWebhookPayload)),
        new(EmailFailed, "Delivery stopped without a bounce (deadline passed, configuration error).", typeof(EmailWebhookPayload)),
        new(EmailOpened, "The recipient opened the message (tracking pixel).", typeof(EmailWebhookPayload)),
        new(EmailClicked, "The recipient followed a tracked link; data.url is the link.", typeof(EmailWebhookPayload)),
        new(EmailComplained, "The recipient reported the message as spam.", typeof(EmailWebhookPayload)),
        new(EmailUnsubscribed, "The recipient unsubscribed from the message's link or List-Unsubscribe.", typeof(EmailWebhookPayload)),
        new(EmailSuppressed, "The recipient was on the suppression list; nothing was sent to it.", typeof(EmailWebhookPayload)),
        new(ContactCreated, "A contact was added.", typeof(ContactWebhookPayload)),
        new(ContactUpdated, "A contact's fields or status changed.", typeof(ContactWebhookPayload)),
        new(ContactDeleted, "A contact was deleted or erased (after an erasure, data holds the id only).", typeof(ContactWebhookPayload)),
        new(CampaignStatusChanged, "A campaign moved from one status to another.", typeof(CampaignWebhookPayload)),
        new(ApiKeyCreated, "An API key was created.", typeof(ApiKeyWebhookPayload)),
        new(ApiKeyRotated, "An API key was rotated; data.replaced_by is the new key's id.", typeof(ApiKeyWebhookPayload)),
        new(ApiKeyRevoked, "An API key was revoked.", typeof(ApiKeyWebhookPayload)),
        new(ApiKeyExpiring, "An API key expires within 7 days, or today.", typeof(ApiKeyWebhookPayload)),
        new(WebhookTest, "Sent by \"Send test event\" to check an endpoint.", typeof(TestWebhookPayload)),
    ];

    public static readonly IReadOnlyList<string> All = Described.Select(d => d.Type).ToList();

    public static bool IsKnown(string type) => All.Contains(type);

    /// <summary>The webhook type of an email event, or null for those not published (cancellations).</summary>
    public static string? Of(EmailEventType type) => type switch
    {
        EmailEventType.Queued => EmailQueued,
        EmailEventType.Sent => EmailSent,
        EmailEventType.Deferred => EmailDeferred,
        EmailEventType.Bounced => EmailBounced,
        EmailEventType.Failed => EmailFailed,
        EmailEventType.Suppressed => EmailSuppressed,
        EmailEventType.Opened => EmailOpened,
        EmailEventType.Clicked => EmailClicked,
        EmailEventType.Complained => EmailComplained,
        EmailEventType.Unsubscribed => EmailUnsubscribed,
        // An ESP's delivery confirmation, once that event type exists (issue 12, ESP integration), by name so this builds either way.
        _ => type.ToString() == "Delivered" ? EmailDelivered : null,
    };
}
