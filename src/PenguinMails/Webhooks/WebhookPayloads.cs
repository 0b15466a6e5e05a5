using System.Text.Json.Serialization;

namespace PenguinMails.Webhooks;

/// <summary>
/// The bodies receivers get, <c>{"type", "timestamp", "data"}</c> (snake_case JSON, RFC 3339 time stamps in UTC). These
/// records are both how bodies are written and the schemas of the OpenAPI document's <c>webhooks</c> section.
/// </summary>
public abstract record WebhookPayload<TData>(string Type, DateTime Timestamp, TData Data);

/// <summary>An email event.</summary>
public sealed record EmailWebhookPayload(string Type, DateTime Timestamp, EmailEventData Data) : WebhookPayload<EmailEventData>(Type, Timestamp, Data);

/// <summary>
/// <c>email_id</c> is the message's id (<c>msg_...</c>, as GET /emails/{id} takes it); <c>to</c> the recipient concerned, when
/// one is; <c>detail</c> the SMTP reply or reason; <c>url</c> the clicked link; <c>test</c> true for messages sent with a test key.
/// </summary>
public sealed record EmailEventData(string EmailId, string? To, string From, string Subject, List<string> Tags,
    string? CampaignId, bool Test)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }
}

/// <summary>A contact event.</summary>
public sealed record ContactWebhookPayload(string Type, DateTime Timestamp, ContactEventData Data) : WebhookPayload<ContactEventData>(Type, Timestamp, Data);

/// <summary>The contact as it is after the change (<c>status</c>: subscribed, unsubscribed, bounced or complained); after an erasure only its id.</summary>
public sealed record ContactEventData(Guid Id)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FirstName { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastName { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary>True when the contact was erased at its own request (GDPR), rather than deleted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Erased { get; init; }
}

/// <summary>A campaign's status change.</summary>
public sealed record CampaignWebhookPayload(string Type, DateTime Timestamp, CampaignEventData Data) : WebhookPayload<CampaignEventData>(Type, Timestamp, Data);

/// <summary>
/// <c>id</c> as the campaigns API shows it; <c>previous_status</c> and <c>status</c> in lower case (draft, scheduled, sending,
/// paused, sent, cancelled); <c>status_reason</c> only when the server itself made the change for a reason (a campaign
/// cancelled because its template was deleted), as the campaign's own <c>status_reason</c> says.
/// </summary>
public sealed record CampaignEventData(string Id, string Name, string PreviousStatus, string Status)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StatusReason { get; init; }
}

/// <summary>An API key event. Never carries the key itself.</summary>
public sealed record ApiKeyWebhookPayload(string Type, DateTime Timestamp, ApiKeyEventData Data) : WebhookPayload<ApiKeyEventData>(Type, Timestamp, Data);

/// <summary><c>key_id</c> is the non-secret identifier (<c>pm_live_...</c>); <c>environment</c> live or test.</summary>
public sealed record ApiKeyEventData(Guid Id, string Name, string KeyId, string Environment, DateTime? ExpiresAt)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? ReplacedBy { get; init; }
}

/// <summary>The body of "Send test event".</summary>
public sealed record TestWebhookPayload(string Type, DateTime Timestamp, TestEventData Data) : WebhookPayload<TestEventData>(Type, Timestamp, Data);

/// <summary>The endpoint tested and a human-readable line.</summary>
public sealed record TestEventData(Guid EndpointId, string Message);
