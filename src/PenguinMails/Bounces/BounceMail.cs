using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PenguinMails.Bounces;

/// <summary>
/// One mail the bounce intake handled, whatever became of it (<see cref="BounceOutcome"/>): the operator's count of
/// reports recorded, duplicates and mail set aside (<c>GET /inbound/bounces/stats</c>), and for POP3 — which has no
/// folders — the memory of the mail left on the server (<see cref="Key"/> <c>pop3:&lt;UIDL&gt;</c>) so that it is not
/// read again. An installation table, not a tenant's: the mail is the operator's until it maps to a message.
/// </summary>
public sealed class BounceMail
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary><c>report:&lt;identity&gt;</c> (at most 100 characters), or <c>pop3:&lt;UIDL&gt;</c> for a mail left on a POP3 server.</summary>
    public required string Key { get; init; }

    /// <summary><c>imap</c>, <c>pop3</c> or <c>http</c>.</summary>
    public required string Source { get; init; }

    public BounceOutcome Outcome { get; init; }
    public DateTime At { get; init; }
    public Guid? TenantId { get; init; }
    public Guid? MessageId { get; init; }

    /// <summary>Why, for people: the report's sentence, or why it was set aside.</summary>
    public string? Detail { get; init; }
}

/// <summary>What became of one inbound mail.</summary>
public enum BounceOutcome
{
    /// <summary>A report, mapped and recorded on its message.</summary>
    Recorded,

    /// <summary>A report recorded before (a second copy, or a rerun after a crash between recording and moving).</summary>
    Duplicate,

    /// <summary>A report that changes nothing (a <c>delivered</c> DSN, a <c>not-spam</c> ARF): moved with the processed ones.</summary>
    Ignored,

    /// <summary>Not a DSN or ARF report: set aside.</summary>
    NotReport,

    /// <summary>A report without a return path of ours, or whose message or recipient is not (any longer) known: set aside.</summary>
    Unmapped,

    /// <summary>A return path that looks like ours but is not signed by this installation: set aside.</summary>
    Forged,
}

/// <summary>Which node reads the bounce mailbox until when (a single row, <see cref="Id"/> 1).</summary>
public sealed class BounceMailboxLease
{
    public int Id { get; init; } = 1;
    public required string Owner { get; set; }
    public DateTime Until { get; set; }
}

internal sealed class BounceMailConfiguration : IEntityTypeConfiguration<BounceMail>, IEntityTypeConfiguration<BounceMailboxLease>
{
    public void Configure(EntityTypeBuilder<BounceMail> builder)
    {
        builder.ToTable("bounce_mail");
        builder.Property(m => m.Key).HasMaxLength(120);
        builder.Property(m => m.Source).HasMaxLength(10);
        builder.Property(m => m.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.Detail).HasMaxLength(1000);
        builder.HasIndex(m => m.Key);
        builder.HasIndex(m => m.At);
    }

    public void Configure(EntityTypeBuilder<BounceMailboxLease> builder)
    {
        builder.ToTable("bounce_mailbox_leases");
        builder.Property(l => l.Id).ValueGeneratedNever();
        builder.Property(l => l.Owner).HasMaxLength(200);
    }
}
