using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Domains;

/// <summary>
/// A tenant's sending domain (issue 13, DECISIONS.md "Sending"): its name (IDNA ASCII, lower case), its DKIM key
/// (2048-bit RSA; the private key protected by Data Protection, never answered) and, during a rotation, the next key
/// published beside it until DNS shows it. <see cref="AbsentSince"/> counts how long a verified domain's records have
/// been definitely missing; after <see cref="DomainOptions.FailAfterHours"/> it fails.
/// </summary>
public sealed class SendingDomain : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; init; }
    public DomainStatus Status { get; set; } = DomainStatus.Pending;

    /// <summary>Added from the CLI for DNS the operator manages: verified from the start, never looked up again.</summary>
    public bool OperatorManaged { get; init; }

    public required string DkimSelector { get; set; }

    /// <summary>The public key, base64 DER SubjectPublicKeyInfo: the <c>p=</c> of the DKIM record.</summary>
    public required string DkimPublicKey { get; set; }

    /// <summary>The PKCS#8 private key, base64, protected by Data Protection (<see cref="DkimKeys"/>).</summary>
    public required string DkimPrivateKey { get; set; }

    public string? PendingSelector { get; set; }
    public string? PendingPublicKey { get; set; }
    public string? PendingPrivateKey { get; set; }

    public DateTime CreatedAt { get; init; }
    public DateTime? VerifiedAt { get; set; }
    public DateTime? LastCheckedAt { get; set; }
    public DateTime? FailedAt { get; set; }

    /// <summary>When a verified domain's required records were first found definitely missing (null while present).</summary>
    public DateTime? AbsentSince { get; set; }

    /// <summary>The last check's answer per record (JSON of <see cref="DnsRecordCheck"/>), shown until the next one.</summary>
    public string? LastCheckJson { get; set; }
}

public enum DomainStatus
{
    Pending,
    Verified,
    Failed,
}

internal sealed class SendingDomainConfiguration : IEntityTypeConfiguration<SendingDomain>
{
    public void Configure(EntityTypeBuilder<SendingDomain> builder)
    {
        builder.ToTable("sending_domains");
        builder.Property(d => d.Name).HasMaxLength(253);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.DkimSelector).HasMaxLength(63);
        builder.Property(d => d.PendingSelector).HasMaxLength(63);
        // Names are unique per tenant here; across tenants (and their subdomains) DomainRegistry checks under a lock.
        builder.HasIndex(d => new { d.TenantId, d.Name }).IsUnique();
        builder.HasIndex(d => d.Name);
        builder.HasIndex(d => new { d.Status, d.LastCheckedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
