using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Emails.Attachments;

/// <summary>
/// A file sent with a message (table <c>email_attachments</c>), written in the same transaction as the message. The
/// content lives in the database so that every node delivers it, on SQLite and PostgreSQL alike; it is deleted
/// (<see cref="Content"/> null, <see cref="ContentDeletedAt"/> set) <c>Emails:AttachmentRetentionDays</c> after the
/// message is done, while its name, type and size stay listed. A contact's erasure deletes the whole row.
/// </summary>
public sealed class EmailAttachment : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid MessageId { get; init; }

    /// <summary>Position in the request's <c>attachments</c> array: the order of the MIME parts.</summary>
    public int Index { get; init; }

    public required string Filename { get; init; }

    /// <summary>The MIME type as sent, e.g. <c>application/pdf</c>.</summary>
    public required string ContentType { get; init; }

    /// <summary>Without angle brackets; set for an inline part referenced as <c>cid:</c> from the HTML body.</summary>
    public string? ContentId { get; init; }

    /// <summary>Decoded size in bytes.</summary>
    public long Size { get; init; }

    public byte[]? Content { get; set; }
    public DateTime? ContentDeletedAt { get; set; }
}

internal sealed class EmailAttachmentConfiguration : IEntityTypeConfiguration<EmailAttachment>
{
    public void Configure(EntityTypeBuilder<EmailAttachment> builder)
    {
        builder.ToTable("email_attachments");
        builder.Property(a => a.Filename).HasMaxLength(AttachmentRules.MaxFilenameLength);
        builder.Property(a => a.ContentType).HasMaxLength(AttachmentRules.MaxContentTypeLength);
        builder.Property(a => a.ContentId).HasMaxLength(AttachmentRules.MaxContentIdLength);
        builder.HasIndex(a => new { a.MessageId, a.Index }).IsUnique();
        builder.HasOne<EmailMessage>().WithMany(m => m.Attachments).HasForeignKey(a => a.MessageId);
    }
}
