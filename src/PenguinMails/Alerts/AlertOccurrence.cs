using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Alerts;

/// <summary>
/// One alert that was sent: (tenant, kind, subject, period) is unique, and the row is inserted (or found already there)
/// in the same transaction that queues the alert's mail, so a re-run of the job or another node running it at the same
/// moment never sends it twice. <see cref="Subject"/> is what it is about (a key's id; <c>tenant</c> for the tenant's
/// rate limit); <see cref="Period"/> the occurrence (the key's expiry time, the window's slot, the hour).
/// </summary>
public sealed class AlertOccurrence : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Kind { get; init; }
    public required string Subject { get; init; }
    public DateTime Period { get; init; }

    /// <summary>The end of what the alert reported (a window's end, the last attempt counted): the next one starts after it.</summary>
    public DateTime CoveredUntil { get; init; }

    /// <summary>How many people it was mailed to.</summary>
    public int Recipients { get; set; }

    public DateTime CreatedAt { get; init; }
}

internal sealed class AlertOccurrenceConfiguration : IEntityTypeConfiguration<AlertOccurrence>
{
    public void Configure(EntityTypeBuilder<AlertOccurrence> builder)
    {
        builder.ToTable("alert_occurrences");
        builder.Property(a => a.Kind).HasMaxLength(32);
        builder.Property(a => a.Subject).HasMaxLength(64);
        builder.HasIndex(a => new { a.TenantId, a.Kind, a.Subject, a.Period }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
