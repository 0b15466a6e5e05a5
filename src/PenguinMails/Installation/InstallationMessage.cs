using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PenguinMails.Installation;

/// <summary>
/// A message the installation sends on its own behalf (a password reset; later alerts and expiry notices): one
/// recipient, from the operator's sender, owned by no tenant — so no tenant's list, analytics or webhook can see it
/// (docs/decisions/0009). Written before the request that asked for it answers; <see cref="InstallationMailSender"/>
/// delivers it with the queue's retry schedule (PenguinMails:Delivery:Retry*, DeadlineHours).
/// </summary>
public sealed class InstallationMessage
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>What it is for (<see cref="InstallationMailPurposes"/>): throttles count per address and purpose.</summary>
    public required string Purpose { get; init; }

    /// <summary>The one recipient, as an address (lower-cased).</summary>
    public required string To { get; init; }

    public required string Subject { get; init; }
    public required string TextBody { get; init; }
    public string? HtmlBody { get; init; }

    public InstallationMessageStatus Status { get; set; } = InstallationMessageStatus.Queued;
    public DateTime CreatedAt { get; init; }

    /// <summary>When a sender may next take it: now, or the retry time after a temporary failure.</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>Still not delivered by then, it fails for good.</summary>
    public DateTime DeliverBy { get; init; }

    public int Attempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}

public enum InstallationMessageStatus
{
    Queued,
    Sending,
    Sent,
    Failed,
}

/// <summary>The purposes of installation mail (at most 40 characters).</summary>
public static class InstallationMailPurposes
{
    public const string PasswordReset = "password_reset";

    /// <summary>An alert of the kind after the prefix (<c>alert:key_expiring</c>, see <c>Alerts/AlertKinds</c>).</summary>
    public static string Alert(string kind) => "alert:" + kind;
}

internal sealed class InstallationMessageConfiguration : IEntityTypeConfiguration<InstallationMessage>
{
    public void Configure(EntityTypeBuilder<InstallationMessage> builder)
    {
        builder.ToTable("installation_mail");
        builder.Property(m => m.Purpose).HasMaxLength(40);
        builder.Property(m => m.To).HasMaxLength(320);
        builder.Property(m => m.Subject).HasMaxLength(998);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.LeaseOwner).HasMaxLength(100);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => new { m.To, m.Purpose, m.CreatedAt });
    }
}
