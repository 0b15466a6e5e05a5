using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Suppressions;

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> builder)
    {
        builder.ToTable("suppressions");
        builder.Property(s => s.Email).HasMaxLength(SuppressionAddress.MaxLength);
        builder.HasIndex(s => new { s.TenantId, s.Email }).IsUnique();
        builder.HasIndex(s => new { s.TenantId, s.CreatedAt });
        builder.Property(s => s.Reason).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Source).HasMaxLength(50);
        builder.Property(s => s.Note).HasMaxLength(500);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId);
    }
}
