using PenguinMails.Data;
using PenguinMails.Webhooks;

namespace PenguinMails.Emails;

/// <summary>
/// Writes new messages — with their recipients, attachments and events — set-based (<see cref="BulkInsert"/>: prepared
/// multi-row INSERTs on SQLite, binary COPY on PostgreSQL) instead of through the change tracker, for the paths that
/// queue many at once: intake's group commit and a campaign's fan-out (issue 16). The webhook events the email events
/// cause are staged and saved in the same transaction, as the outbox interceptor does for tracked writes
/// (docs/decisions/0010).
/// </summary>
public static class QueuedMessages
{
    /// <summary>
    /// Inserts <paramref name="messages"/> and <paramref name="events"/> for <paramref name="db"/>'s tenant inside the
    /// caller's open transaction. Every row is stamped with that tenant.
    /// </summary>
    /// <exception cref="InvalidOperationException">No tenant scope or no open transaction on <paramref name="db"/>.</exception>
    public static async Task WriteAsync(AppDb db, WebhookOutbox outbox, IReadOnlyCollection<EmailMessage> messages,
        IReadOnlyCollection<EmailEvent> events, CancellationToken ct)
    {
        var tenant = db.CurrentTenantId ?? throw new InvalidOperationException("Messages are written inside a tenant scope.");
        var recipients = new List<EmailRecipient>(messages.Count);
        var attachments = new List<Attachments.EmailAttachment>();
        foreach (var message in messages)
        {
            message.TenantId = tenant;
            foreach (var recipient in message.Recipients)
            {
                recipient.TenantId = tenant;
                recipients.Add(recipient);
            }

            foreach (var attachment in message.Attachments)
            {
                attachment.TenantId = tenant;
                attachments.Add(attachment);
            }
        }

        foreach (var e in events)
        {
            e.TenantId = tenant;
        }

        await BulkInsert.WriteAsync(db, messages, ct);
        await BulkInsert.WriteAsync(db, recipients, ct);
        await BulkInsert.WriteAsync(db, attachments, ct);
        await BulkInsert.WriteAsync(db, events, ct);
        if (await outbox.StageEmailEventsAsync(db, events, messages, ct))
        {
            await db.SaveChangesAsync(ct);
        }
    }
}
