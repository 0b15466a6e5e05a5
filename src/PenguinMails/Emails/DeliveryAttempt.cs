using PenguinMails.Tenancy;

namespace PenguinMails.Emails;

/// <summary>One try at handing a message to the relay: when, by which node, and what the relay answered.</summary>
public sealed class DeliveryAttempt : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid MessageId { get; init; }
    public int Number { get; init; }
    public DateTime StartedAt { get; init; }
    public int DurationMs { get; init; }
    public required string Node { get; init; }

    /// <summary><c>sent</c>, <c>deferred</c>, <c>bounced</c>, <c>failed</c> or <c>simulated</c>.</summary>
    public required string Outcome { get; init; }

    public int? SmtpCode { get; init; }
    public string? Response { get; init; }
}
