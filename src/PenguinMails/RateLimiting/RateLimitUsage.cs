using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.RateLimiting;

/// <summary>
/// One tenant's requests under rate limiting in one minute, all nodes added up: "45 / 300 (15%)",
/// "peak usage 285 / 300 requests/minute at 2:15 PM". The plan's limit is kept with the row, so a minute
/// reads right after the plan changes.
/// </summary>
public sealed class RateLimitUsage : ITenantOwned
{
    public Guid TenantId { get; set; }
    public DateTime MinuteStart { get; init; }
    public long Allowed { get; set; }
    public long Refused { get; set; }

    /// <summary>The most of the burst allowance in use at any moment of the minute.</summary>
    public int PeakUsed { get; set; }

    /// <summary>The plan's requests per minute, then.</summary>
    public int LimitPerMinute { get; set; }

    public int Burst { get; set; }
}

/// <summary>Refused requests of one key on one path within one second: the 429 events.</summary>
public sealed class RateLimitRefusal : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public DateTime OccurredAt { get; init; }
    public Guid ApiKeyId { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public int Count { get; init; }
    public int RetryAfterSeconds { get; init; }
}

internal sealed class RateLimitUsageConfiguration : IEntityTypeConfiguration<RateLimitUsage>
{
    public void Configure(EntityTypeBuilder<RateLimitUsage> builder)
    {
        builder.ToTable("rate_limit_usage");
        builder.HasKey(u => new { u.TenantId, u.MinuteStart });
        builder.HasIndex(u => u.MinuteStart); // the alert job's look over all tenants' recent minutes
        builder.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RateLimitRefusalConfiguration : IEntityTypeConfiguration<RateLimitRefusal>
{
    public const int MaxPath = 300;

    public void Configure(EntityTypeBuilder<RateLimitRefusal> builder)
    {
        builder.ToTable("rate_limit_refusals");
        builder.Property(r => r.Method).HasMaxLength(16);
        builder.Property(r => r.Path).HasMaxLength(MaxPath);
        builder.HasIndex(r => new { r.TenantId, r.OccurredAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
