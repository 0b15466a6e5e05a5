using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.ApiKeys;

/// <summary>Requests made with one key in one hour: the source of a key's usage figures.</summary>
public sealed class ApiKeyUsage : ITenantOwned
{
    public Guid TenantId { get; set; }
    public Guid ApiKeyId { get; init; }
    public DateTime HourStart { get; init; }
    public long Requests { get; set; }
    public long Errors { get; set; }
}

internal sealed class ApiKeyUsageConfiguration : IEntityTypeConfiguration<ApiKeyUsage>
{
    public void Configure(EntityTypeBuilder<ApiKeyUsage> builder)
    {
        builder.ToTable("api_key_usage");
        builder.HasKey(u => new { u.ApiKeyId, u.HourStart });
        builder.HasIndex(u => new { u.TenantId, u.HourStart });
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(u => u.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
