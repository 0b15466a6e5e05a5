using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Emails;
using PenguinMails.Tenancy;

namespace PenguinMails.Campaigns;

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.ToTable("campaigns");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Subject).HasMaxLength(998);
        builder.Property(c => c.From).HasMaxLength(998);
        builder.Property(c => c.TemplateSlug).HasMaxLength(100);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(c => c.StatusReason).HasMaxLength(500);
        builder.Property(c => c.LeaseOwner).HasMaxLength(100);
        builder.HasIndex(c => new { c.TenantId, c.CreatedAt });
        builder.HasIndex(c => new { c.Status, c.ScheduledAt }); // the worker: due scheduled campaigns, sending ones
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
    }
}

/// <summary>
/// A campaign's messages: at most one per contact (the fan-out's guard against sending anyone twice), found by
/// campaign for progress, pause, cancel and analytics. No foreign key: a deleted campaign's messages stay. Progress
/// (<see cref="CampaignViews"/>: messages by campaign and status) is counted from <c>(tenant_id, campaign_id, status)</c>
/// alone (the tenant filter's column too), an index-only scan: through the unique index it read each message's row,
/// 20–40 ms per look at a 100,000-message campaign, and a page polling a sending campaign took a sixth to a quarter of
/// the fan-out's time (bench/README.md, issue 16).
/// </summary>
internal sealed class CampaignMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> builder)
    {
        builder.HasIndex(m => new { m.CampaignId, m.ContactId }).IsUnique();
        builder.HasIndex(m => new { m.TenantId, m.CampaignId, m.Status });
    }
}
