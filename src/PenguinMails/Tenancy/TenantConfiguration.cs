using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PenguinMails.Tenancy;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("tenants");
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Slug).HasMaxLength(64);
        builder.Property(t => t.DefaultFrom).HasMaxLength(998);
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.Property(t => t.Plan).HasConversion<string>().HasMaxLength(20);
    }
}
