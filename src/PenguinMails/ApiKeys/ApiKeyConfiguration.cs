using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.ApiKeys;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Description).HasMaxLength(500);
        builder.Property(k => k.Environment).HasConversion<string>().HasMaxLength(10);
        builder.Property(k => k.KeyId).HasMaxLength(40);
        builder.HasIndex(k => k.KeyId).IsUnique();
        builder.Property(k => k.SecretHash).HasMaxLength(32);
        builder.Property(k => k.LastCharacters).HasMaxLength(3);
        builder.Property(k => k.CreatedBy).HasMaxLength(200);
        builder.HasIndex(k => new { k.TenantId, k.CreatedAt });
        builder.HasIndex(k => k.UpdatedAt);
        builder.Ignore(k => k.MaskedKey);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId);
    }
}
