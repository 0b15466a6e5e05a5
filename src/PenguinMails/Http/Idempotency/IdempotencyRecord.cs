using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Http.Idempotency;

/// <summary>
/// The first answer to a write sent with an <c>Idempotency-Key</c>, kept 24 hours per tenant and key together
/// with a hash of the request, so that a retry gets the same answer and a different request under the same
/// key is refused.
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    public Guid TenantId { get; set; }
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
        builder.HasKey(r => new { r.TenantId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.RequestHash).HasMaxLength(32);
        builder.Property(r => r.ResponseContentType).HasMaxLength(100);
        builder.Property(r => r.ResponseLocation).HasMaxLength(500);
        builder.HasIndex(r => r.ExpiresAt);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId);
    }
}
