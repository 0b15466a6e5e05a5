using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Audit;

internal sealed class SecurityEventConfiguration : IEntityTypeConfiguration<SecurityEvent>
{
    public void Configure(EntityTypeBuilder<SecurityEvent> builder)
    {
        builder.ToTable("security_events");
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(SecurityEvent.MaxUserAgent);
        builder.Property(e => e.Detail).HasMaxLength(SecurityEvent.MaxDetail);
        builder.Property(e => e.Occurrences).HasDefaultValue(1);
        // The audit-log API reads one tenant's newest first; the retention job deletes across tenants by age.
        builder.HasIndex(e => new { e.TenantId, e.OccurredAt });
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.Type, e.OccurredAt }); // the alert job's look for recent IP denials over all tenants
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId);
    }
}
