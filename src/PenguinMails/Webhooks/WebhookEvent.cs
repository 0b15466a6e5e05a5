using PenguinMails.Tenancy;

namespace PenguinMails.Webhooks;

/// <summary>
/// An event for the tenant's endpoints, written in the same transaction as the change that caused it (the outbox):
/// its body is fixed once, so every attempt and replay sends the same bytes under the same <c>webhook-id</c>.
/// </summary>
public sealed class WebhookEvent : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Type { get; init; }
    public WebhookEnvironment Environment { get; init; }

    /// <summary>The JSON body sent: <c>{"type", "timestamp", "data"}</c>.</summary>
    public required string Payload { get; set; }

    /// <summary>The contact's address the payload holds (lower case), so that a GDPR export or erasure finds it.</summary>
    public string? Email { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>The Standard Webhooks message id: <c>evt_</c> and 32 hex digits.</summary>
    public string WebhookId => WebhookIds.Format(Id);
}

/// <summary>
/// One event to one endpoint: the unit the dispatcher leases, tries and retries, and one line of the delivery log
/// (with its latest attempt). A replay adds a new delivery of the same event.
/// </summary>
public sealed class WebhookDelivery : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid EndpointId { get; init; }
    public Guid EventId { get; init; }
    public required string EventType { get; init; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime NextAttemptAt { get; set; }
    public Guid? LeaseToken { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    public int? StatusCode { get; set; }
    public int? LatencyMs { get; set; }

    /// <summary>The start of the endpoint's answer, at most 1 KB.</summary>
    public string? ResponseExcerpt { get; set; }

    public string? Error { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public enum WebhookDeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
}

/// <summary>Event ids as receivers see them in <c>webhook-id</c>.</summary>
public static class WebhookIds
{
    public const string Prefix = "evt_";

    public static string Format(Guid id) => Prefix + id.ToString("N");
}
