using System.Net;
using System.Security.Cryptography;
using System.Text;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;
using PenguinMails.Tracking;

namespace PenguinMails.Esp;

/// <summary>What became of one inbound event.</summary>
public enum EspEventResult
{
    Recorded,
    Duplicate,
    UnknownMessage,
}

/// <summary>
/// Applies an ESP's event to the tenant's message through the paths our own outcomes take: an <see cref="EmailEvent"/>
/// row, the recipient's and message's status, the suppression list (<see cref="SuppressionList"/>, which brings the
/// contact's status along). The message is looked up in the caller's tenant only (the query filters), by the ESP's id or
/// ours echoed in its metadata, so one tenant's webhook URL can never reach another tenant's message. The receipt that
/// de-duplicates the event is written in the same transaction as its effects: both happen once, or neither.
/// </summary>
public sealed class EspEventRecorder(AppDb db, TenantContext tenant, SuppressionList suppressions, WriteGate gate, ClientAddresses clients,
    TimeProvider time)
{
    public async Task<EspEventResult> RecordAsync(Guid tenantId, EspEvent e, CancellationToken ct)
    {
        tenant.Enter(tenantId);
        var ours = EmailIds.Parse(e.OurId);
        var message = e.EspMessageId is { } espId
            ? await db.EmailMessages.Include(m => m.Recipients).FirstOrDefaultAsync(m => m.EspMessageId == espId, ct)
            : null;
        message ??= ours is { } id ? await db.EmailMessages.Include(m => m.Recipients).FirstOrDefaultAsync(m => m.Id == id, ct) : null;
        if (message is null)
        {
            return EspEventResult.UnknownMessage;
        }

        var now = time.GetUtcNow();
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.EspReceipts.Add(new EspReceipt { Key = "event:" + Hash(e.Identity), AtUnix = now.ToUnixTimeSeconds() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException x) when (DbErrors.IsUniqueViolation(x))
            {
                db.ChangeTracker.Clear();
                return EspEventResult.Duplicate;
            }

            await ApplyAsync(message, e, now.UtcDateTime, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return EspEventResult.Recorded;
    }

    /// <summary>
    /// Remembers a Mailgun signature token; false when it was seen before (a replay). Tokens older than the signature
    /// window are forgotten as new ones come: a call that old is refused for its timestamp anyway.
    /// </summary>
    public async Task<bool> FirstUseOfTokenAsync(Guid tenantId, string token, TimeSpan window, CancellationToken ct)
    {
        tenant.Enter(tenantId);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var stale = now - (long)(2 * window.TotalSeconds);
        using (await gate.EnterAsync(db, ct))
        {
            await db.EspReceipts.Where(r => r.Key.StartsWith("token:") && r.AtUnix < stale).ExecuteDeleteAsync(ct);
            db.EspReceipts.Add(new EspReceipt { Key = "token:" + Hash(token), AtUnix = now });
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException x) when (DbErrors.IsUniqueViolation(x))
            {
                return false;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task ApplyAsync(EmailMessage message, EspEvent e, DateTime now, CancellationToken ct)
    {
        var recipient = e.Recipient is { } address
            ? message.Recipients.FirstOrDefault(r => string.Equals(r.Email, address.Trim(), StringComparison.OrdinalIgnoreCase))
            : null;
        // Only the message's own recipients are suppressed: a signed event about this message speaks for them alone. An
        // address that is not one is kept on the event (normalised) only when it is an address at all, and never suppressed.
        var who = recipient?.Email ?? (SuppressionAddress.TryNormalize(e.Recipient, out var other) ? other : null);
        var detail = TextClip.OrNull(e.Detail, 2048);
        var (type, reason) = e.Kind switch
        {
            EspEventKind.Delivered => (EmailEventType.Delivered, (SuppressionReason?)null),
            EspEventKind.HardBounce => (EmailEventType.Bounced, SuppressionReason.HardBounce),
            EspEventKind.SoftBounce => (EmailEventType.Deferred, null),
            EspEventKind.Failed => (EmailEventType.Failed, null),
            EspEventKind.Complained => (EmailEventType.Complained, SuppressionReason.Complaint),
            EspEventKind.Unsubscribed => (EmailEventType.Unsubscribed, SuppressionReason.Unsubscribe),
            EspEventKind.Opened => (EmailEventType.Opened, null),
            _ => (EmailEventType.Clicked, null),
        };
        db.EmailEvents.Add(new EmailEvent
        {
            MessageId = message.Id, Type = type, At = now, Recipient = who, Detail = detail,
            Client = e.Kind is EspEventKind.Opened or EspEventKind.Clicked && IPAddress.TryParse(e.ClientIp, out var ip) ? clients.Of(ip) : null,
        });
        if (recipient is not null && e.Kind is EspEventKind.HardBounce or EspEventKind.Failed && recipient.Status == RecipientStatus.Sent)
        {
            (recipient.Status, recipient.Detail) = (e.Kind == EspEventKind.HardBounce ? RecipientStatus.Bounced : RecipientStatus.Failed,
                TextClip.OrNull(detail, 1000));
            if (message.Recipients.All(r => r.Status != RecipientStatus.Sent && r.Status != RecipientStatus.Pending))
            {
                message.Status = message.Recipients.Any(r => r.Status == RecipientStatus.Bounced) ? EmailStatus.Bounced : EmailStatus.Failed;
            }
        }

        if (reason is { } why && recipient is not null)
        {
            await suppressions.AddAsync(recipient.Email, why, ct);
        }
    }

    private static string Hash(string identity) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
}
