using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Esp;

/// <summary>
/// One inbound ESP webhook call already acted on, so that the same event delivered twice (ESPs retry, and may send
/// one event more than once) is recorded once; and one Mailgun signature token already seen, so that a captured
/// call cannot be replayed. <see cref="Key"/> is <c>event:</c> or <c>token:</c> and a SHA-256 in hex.
/// Inserted with <c>ON CONFLICT DO NOTHING</c>: of two concurrent deliveries of one event, one acts.
/// </summary>
public sealed class EspReceipt : ITenantOwned
{
    public Guid TenantId { get; set; }
    public required string Key { get; init; }

    /// <summary>Unix seconds; token receipts older than the signature window are deleted as new ones come in.</summary>
    public long AtUnix { get; init; }
}

internal sealed class EspReceiptConfiguration : IEntityTypeConfiguration<EspReceipt>
{
    public void Configure(EntityTypeBuilder<EspReceipt> builder)
    {
        builder.ToTable("esp_receipts");
        builder.HasKey(r => new { r.TenantId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(80);
        builder.HasIndex(r => r.AtUnix);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId);
    }
}
