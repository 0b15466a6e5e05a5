using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Contacts;

/// <summary>
/// The GDPR section of a contact's messages: every message addressed to the contact's address (to, cc or bcc)
/// or written for the contact by a campaign, with the contact's own recipient rows, the message's events and
/// its delivery attempts.
/// Erasure anonymises rather than deletes: the contact's recipient rows get an address that names nobody, the
/// message's subject, bodies, custom headers and metadata are blanked, events lose their recipient, detail (SMTP
/// replies quote addresses, clicked URLs may carry personal data) and client hash, attempts lose the relay's
/// reply, attachments are deleted whole (names included). Counts stay, so a campaign's analytics still add up;
/// nothing left points back to the person.
/// A message still waiting for delivery to the contact is cancelled.
/// </summary>
internal static class ContactMessages
{
    public const string ErasedSubject = "[erased]";

    public static async Task<List<ContactMessageExport>> ExportAsync(AppDb db, Contact contact, CancellationToken ct)
    {
        var ids = await MessageIdsAsync(db, contact, ct);
        var messages = await db.EmailMessages.AsNoTracking().Where(m => ids.Contains(m.Id))
            .OrderBy(m => m.CreatedAt).ToListAsync(ct);
        var recipients = await db.EmailRecipients.AsNoTracking()
            .Where(r => ids.Contains(r.MessageId) && r.Email == contact.NormalizedEmail).ToListAsync(ct);
        var events = await db.EmailEvents.AsNoTracking().Where(e => ids.Contains(e.MessageId)).OrderBy(e => e.At).ToListAsync(ct);
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.MessageId)).OrderBy(a => a.Number).ToListAsync(ct);
        var attachments = await db.EmailAttachments.AsNoTracking().Where(a => ids.Contains(a.MessageId)).OrderBy(a => a.Index)
            .Select(a => new { a.MessageId, View = new AttachmentView(a.Filename, a.ContentType, a.Size, a.ContentId, a.ContentDeletedAt) })
            .ToListAsync(ct);
        return messages.Select(m => new ContactMessageExport(
            EmailIds.Format(m.Id), m.CampaignId, m.Status.ToString().ToLowerInvariant(), m.From, m.Subject, m.HtmlBody, m.TextBody,
            m.Tags, m.CreatedAt, m.SentAt,
            recipients.Where(r => r.MessageId == m.Id)
                .Select(r => new ContactRecipientExport(r.Kind.ToString().ToLowerInvariant(), r.Address, r.Status.ToString().ToLowerInvariant(), r.Detail)).ToList(),
            events.Where(e => e.MessageId == m.Id)
                .Select(e => new ContactEventExport(e.Type.ToString().ToLowerInvariant(), e.At, e.Recipient, e.Detail)).ToList(),
            attempts.Where(a => a.MessageId == m.Id)
                .Select(a => new ContactAttemptExport(a.Number, a.StartedAt, a.Outcome, a.SmtpCode, a.Response)).ToList(),
            attachments.Where(a => a.MessageId == m.Id).Select(a => a.View).ToList())).ToList();
    }

    /// <summary>Anonymises what the messages hold about the contact; answers how many messages and attachments it touched.</summary>
    public static async Task<(int Messages, int Attachments)> EraseAsync(AppDb db, Contact contact, CancellationToken ct)
    {
        var ids = await MessageIdsAsync(db, contact, ct);
        if (ids.Count == 0)
        {
            return (0, 0);
        }

        var email = contact.NormalizedEmail;
        var nobody = $"erased-{Guid.NewGuid():N}@erased.invalid";
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.EmailRecipients.Where(r => ids.Contains(r.MessageId) && r.Email == email && r.Status == RecipientStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Cancelled), ct);
        await db.EmailRecipients.Where(r => ids.Contains(r.MessageId) && r.Email == email)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Address, nobody).SetProperty(r => r.Email, nobody).SetProperty(r => r.Detail, (string?)null), ct);
        await db.EmailMessages.Where(m => ids.Contains(m.Id)
                && (m.Status == EmailStatus.Queued || m.Status == EmailStatus.Deferred || m.Status == EmailStatus.Held)
                && !db.EmailRecipients.Any(r => r.MessageId == m.Id && r.Status == RecipientStatus.Pending))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, EmailStatus.Cancelled), ct);
        await db.EmailMessages.Where(m => ids.Contains(m.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Subject, ErasedSubject)
            .SetProperty(m => m.HtmlBody, (string?)null)
            .SetProperty(m => m.TextBody, (string?)null)
            .SetProperty(m => m.HeadersJson, (string?)null)
            .SetProperty(m => m.MetadataJson, (string?)null)
            .SetProperty(m => m.LastError, (string?)null)
            .SetProperty(m => m.AttachmentCount, 0), ct);
        var attachments = await db.EmailAttachments.Where(a => ids.Contains(a.MessageId)).ExecuteDeleteAsync(ct);
        await db.EmailEvents.Where(e => ids.Contains(e.MessageId)).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Recipient, e => e.Recipient != null && e.Recipient.ToLower() == email ? nobody : e.Recipient)
            .SetProperty(e => e.Detail, (string?)null)
            .SetProperty(e => e.Client, (string?)null), ct);
        await db.TrackingWindows.Where(w => ids.Contains(w.MessageId)).ExecuteDeleteAsync(ct);
        await db.DeliveryAttempts.Where(a => ids.Contains(a.MessageId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Response, (string?)null), ct);
        await tx.CommitAsync(ct);
        return (ids.Count, attachments);
    }

    private static async Task<List<Guid>> MessageIdsAsync(AppDb db, Contact contact, CancellationToken ct)
    {
        var email = contact.NormalizedEmail;
        var addressed = await db.EmailRecipients.Where(r => r.Email == email).Select(r => r.MessageId).ToListAsync(ct);
        var written = await db.EmailMessages.Where(m => m.ContactId == contact.Id).Select(m => m.Id).ToListAsync(ct);
        return addressed.Concat(written).Distinct().ToList();
    }
}

public sealed record ContactMessageExport(
    string Id, Guid? CampaignId, string Status, string From, string Subject, string? HtmlBody, string? TextBody,
    List<string> Tags, DateTime CreatedAt, DateTime? SentAt,
    List<ContactRecipientExport> Recipients, List<ContactEventExport> Events, List<ContactAttemptExport> DeliveryAttempts,
    List<AttachmentView> Attachments);

public sealed record ContactRecipientExport(string Kind, string Address, string Status, string? Detail);

public sealed record ContactEventExport(string Type, DateTime At, string? Recipient, string? Detail);

public sealed record ContactAttemptExport(int Number, DateTime StartedAt, string Outcome, int? SmtpCode, string? Response);
