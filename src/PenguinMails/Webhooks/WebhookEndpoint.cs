using PenguinMails.Tenancy;

namespace PenguinMails.Webhooks;

/// <summary>
/// One of a tenant's own URLs that receives its events (api-access.md "Webhooks"). Deleting one keeps the row
/// (<see cref="DeletedAt"/>) so that the other nodes' subscription caches learn of it from <see cref="UpdatedAt"/>
/// and its delivery log stays readable until pruned.
/// </summary>
public sealed class WebhookEndpoint : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Url { get; set; }
    public string? Description { get; set; }

    /// <summary>The event types it receives; empty means every type (<see cref="WebhookEventTypes.All"/>).</summary>
    public List<string> Events { get; set; } = [];

    public WebhookEnvironment Environment { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>Why the server turned it off (410 Gone, or failing for days); null when enabled or turned off by a person.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>Custom headers (JSON object of name → value), encrypted with Data Protection like the secret.</summary>
    public string? ProtectedHeaders { get; set; }

    /// <summary>The signing secret <c>whsec_...</c>, encrypted with Data Protection (docs/decisions/0008).</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>After a rotation, the old secret, which also signs until <see cref="PreviousSecretUntil"/>.</summary>
    public string? ProtectedPreviousSecret { get; set; }

    public DateTime? PreviousSecretUntil { get; set; }

    /// <summary>When the current run of failed attempts began; null after a success. Five days of it disables the endpoint.</summary>
    public DateTime? FailingSince { get; set; }

    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }

    public bool Receives(string type, WebhookEnvironment environment) =>
        Enabled && DeletedAt is null && Environment == environment && (Events.Count == 0 || Events.Contains(type));
}

/// <summary>Events caused with a <c>pm_test_</c> key go only to test endpoints, the others only to live ones (as Stripe does).</summary>
public enum WebhookEnvironment
{
    Live,
    Test,
}
