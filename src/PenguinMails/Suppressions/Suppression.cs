using PenguinMails.Tenancy;

namespace PenguinMails.Suppressions;

/// <summary>An address the tenant never sends to again. One row per (tenant, lower-case address); the first reason stays.</summary>
public sealed class Suppression : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Email { get; init; }
    public SuppressionReason Reason { get; init; }

    /// <summary>Where it came from: <c>api</c>, <c>system</c> (bounces, complaints, unsubscribes), ...</summary>
    public string? Source { get; init; }
    public string? Note { get; init; }
    public DateTime CreatedAt { get; init; }
}

public enum SuppressionReason
{
    HardBounce,
    Complaint,
    Unsubscribe,
    Manual,
}
