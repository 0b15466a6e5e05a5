using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.ApiUsage;

/// <summary>
/// One request made with an API key (issue 11 "Request log"): who, which route template, the answer and its time.
/// <see cref="Authenticated"/> is false for a request whose key identifier named this tenant's key but whose secret
/// was wrong: anyone who knows an identifier can send those, so they are shown apart and never count in the
/// tenant's figures. Kept <c>ApiUsage:RawRetentionDays</c>.
/// </summary>
public sealed class ApiRequest : ITenantOwned, IUsageRow
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ApiKeyId { get; init; }
    public bool Authenticated { get; init; }

    /// <summary><c>live</c> or <c>test</c>, the key's.</summary>
    public required string Environment { get; init; }

    /// <summary>The route template with its method, <c>POST /api/v1/emails/send</c>, never the raw path.</summary>
    public required string Endpoint { get; init; }

    public int Status { get; init; }

    /// <summary>The error envelope's code and message, when the answer was one.</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>Milliseconds from the request reaching the pipeline to its answer.</summary>
    public double DurationMs { get; init; }

    public DateTime OccurredAt { get; init; }
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }
    public required string RequestId { get; init; }
}

internal sealed class ApiRequestConfiguration : IEntityTypeConfiguration<ApiRequest>
{
    public const int MaxEndpoint = 200;
    public const int MaxUserAgent = 300;
    public const int MaxMessage = 500;

    public void Configure(EntityTypeBuilder<ApiRequest> builder)
    {
        // No foreign keys: rows are written behind in bulk and pruned by age, and a check per row would slow both.
        builder.ToTable("api_requests");
        builder.Property(r => r.Environment).HasMaxLength(8);
        builder.Property(r => r.Endpoint).HasMaxLength(MaxEndpoint);
        builder.Property(r => r.ErrorCode).HasMaxLength(64);
        builder.Property(r => r.ErrorMessage).HasMaxLength(MaxMessage);
        builder.Property(r => r.ClientIp).HasMaxLength(64);
        builder.Property(r => r.UserAgent).HasMaxLength(MaxUserAgent);
        builder.Property(r => r.RequestId).HasMaxLength(32);
        // The key is the one order every reader uses — a tenant's rows by time, the id breaking ties (cursor paging) — so
        // each row costs the table and one index: no index of the id alone, none of the time alone (the pruner goes
        // tenant by tenant along this one).
        builder.HasKey(r => new { r.TenantId, r.OccurredAt, r.Id });
    }
}
