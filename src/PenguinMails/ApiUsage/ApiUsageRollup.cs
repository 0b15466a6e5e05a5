using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.ApiUsage;

/// <summary>
/// Requests of one tenant's key on one route with one status and error code in one minute (<see cref="Grain"/> 1),
/// hour (60) or UTC day (1440), every node's share added up (<see cref="RollupWriter"/> upserts that add). Each row carries a latency
/// histogram in <see cref="LatencyHistogram"/>'s fixed buckets, so percentiles over any range sum buckets, never
/// average percentiles. Kept <c>ApiUsage:RollupRetentionDays</c>.
/// </summary>
public sealed class ApiUsageRollup : ITenantOwned, IUsageRow
{
    public Guid TenantId { get; set; }

    /// <summary>Minutes per bucket: 1, 60 or 1440; each range reads the coarsest grain its step allows.</summary>
    public int Grain { get; init; }

    public DateTime BucketStart { get; init; }
    public Guid ApiKeyId { get; init; }
    public bool Authenticated { get; init; }
    public required string Environment { get; init; }
    public required string Endpoint { get; init; }
    public int Status { get; init; }

    /// <summary>The error code, or empty for an answer that was not an error envelope.</summary>
    public required string ErrorCode { get; init; }

    public long Requests { get; set; }
    public double DurationMsSum { get; set; }
    public long B0 { get; set; }
    public long B1 { get; set; }
    public long B2 { get; set; }
    public long B3 { get; set; }
    public long B4 { get; set; }
    public long B5 { get; set; }
    public long B6 { get; set; }
    public long B7 { get; set; }
    public long B8 { get; set; }
    public long B9 { get; set; }
    public long B10 { get; set; }
    public long B11 { get; set; }
    public long B12 { get; set; }
    public long B13 { get; set; }
    public long B14 { get; set; }
    public long B15 { get; set; }

    public const int MinuteGrain = 1;
    public const int HourGrain = 60;
    public const int DayGrain = 1440;
}

internal sealed class ApiUsageRollupConfiguration : IEntityTypeConfiguration<ApiUsageRollup>
{
    public void Configure(EntityTypeBuilder<ApiUsageRollup> builder)
    {
        builder.ToTable("api_usage_rollups");
        builder.HasKey(r => new { r.TenantId, r.Grain, r.BucketStart, r.ApiKeyId, r.Authenticated, r.Endpoint, r.Status, r.ErrorCode });
        builder.Property(r => r.Environment).HasMaxLength(8);
        builder.Property(r => r.Endpoint).HasMaxLength(ApiRequestConfiguration.MaxEndpoint);
        builder.Property(r => r.ErrorCode).HasMaxLength(64);
        builder.HasIndex(r => new { r.Grain, r.BucketStart }); // pruning across tenants
    }
}
