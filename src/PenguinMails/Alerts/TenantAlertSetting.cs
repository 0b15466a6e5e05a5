using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Alerts;

/// <summary>
/// One of a tenant's alert thresholds that differs from the installation's default (<see cref="AlertSettings"/> names
/// them). Stored as name and value, so a new alert brings its thresholds without a new table.
/// </summary>
public sealed class TenantAlertSetting : ITenantOwned
{
    public Guid TenantId { get; set; }
    public required string Name { get; init; }
    public int Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class TenantAlertSettingConfiguration : IEntityTypeConfiguration<TenantAlertSetting>
{
    public void Configure(EntityTypeBuilder<TenantAlertSetting> builder)
    {
        builder.ToTable("tenant_alert_settings");
        builder.HasKey(s => new { s.TenantId, s.Name });
        builder.Property(s => s.Name).HasMaxLength(64);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
