using MimeKit;
using PenguinMails.Data;

namespace PenguinMails.Emails.Attachments;

/// <summary>
/// The MIME parts of a message's attachments, read from the database when the message is about to be sent — once
/// per message, whatever its number of recipients (they share one SMTP transaction), never for a whole claimed batch
/// at once. Each part's content is a read-only stream over the stored bytes: MimeKit reads it to pick the transfer
/// encoding, DKIM reads it to hash the body and the transport reads it again to send, so a forward-only stream from
/// the database could not serve; the bytes are held only while this one message is sent.
/// </summary>
public sealed class AttachmentParts(IServiceScopeFactory scopes)
{
    public async Task<List<MimePart>> LoadAsync(EmailMessage email, CancellationToken ct)
    {
        if (email.AttachmentCount == 0)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        // The dispatcher serves every tenant: the message's own id is the scope.
        var stored = await db.EmailAttachments.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.MessageId == email.Id && a.Content != null).OrderBy(a => a.Index).ToListAsync(ct);
        return stored.Select(Part).ToList();
    }

    /// <summary>
    /// Non-ASCII names are written per RFC 2231 (MimeKit's default parameter encoding). The Content-ID header is
    /// written as validated at intake (<see cref="AttachmentRules.IsValidContentId"/>), since MimeKit's own setter
    /// would refuse an id without a domain part (<c>logo</c>), the form most senders use.
    /// </summary>
    private static MimePart Part(EmailAttachment attachment)
    {
        var part = new MimePart(ContentType.Parse(attachment.ContentType))
        {
            Content = new MimeContent(new MemoryStream(attachment.Content!, writable: false)),
            ContentDisposition = new ContentDisposition(attachment.ContentId is null ? ContentDisposition.Attachment : ContentDisposition.Inline),
            FileName = attachment.Filename,
        };
        if (attachment.ContentId is { } id)
        {
            part.Headers[HeaderId.ContentId] = $"<{id}>";
        }

        return part;
    }
}
