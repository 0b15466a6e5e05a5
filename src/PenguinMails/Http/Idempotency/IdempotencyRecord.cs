using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.ApiKeys;
using PenguinMails.Tenancy;

namespace PenguinMails.Http.Idempotency;

/// <summary>
/// The first answer to a write sent with an <c>Idempotency-Key</c>, kept 24 hours per tenant, environment and key
/// (<see cref="IdempotencyScope"/>) together with a hash of the request, so that a retry gets the same answer and a
/// different request under the same key is refused.
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public Guid TenantId { get; set; }

    /// <summary>The environment of the API key that sent the first request; rows from before it was kept count as live.</summary>
    public KeyEnvironment Environment { get; init; }

    public required string Key { get; init; }
    public required byte[] RequestHash { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime ExpiresAt { get; init; }

    /// <summary>Null while the first request is in flight.</summary>
    public int? ResponseStatus { get; set; }

    public string? ResponseContentType { get; set; }
    public string? ResponseLocation { get; set; }
    public byte[]? ResponseBody { get; set; }

    /// <summary>An in-flight record older than this was left by a node that died; the key may be used again.</summary>
    public DateTime LockedUntil { get; init; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(r => new { r.TenantId, r.Environment, r.Key });
        builder.Property(r => r.Environment).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.RequestHash).HasMaxLength(32);
        builder.Property(r => r.ResponseContentType).HasMaxLength(100);
        builder.Property(r => r.ResponseLocation).HasMaxLength(500);
        builder.HasIndex(r => r.ExpiresAt);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId);
    }
}

/// <summary>
/// Whose an <c>Idempotency-Key</c> is: the tenant's, in the environment of the API key that sends it. A <c>pm_test_</c>
/// and a <c>pm_live_</c> key of one tenant never share one, so a simulated answer is never replayed to a live request
/// (Stripe likewise keeps test and live mode's keys apart).
/// </summary>
public sealed record IdempotencyScope(Guid TenantId, KeyEnvironment Environment, string Key);
