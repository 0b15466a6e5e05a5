using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Emails;

/// <summary>Cancelling: possible while no node is delivering the message (queued, scheduled or deferred).</summary>
internal static class EmailCancel
{
    public static async Task<Results<Ok<SuccessEnvelope<EmailView>>, ApiError>> CancelAsync(
        string id, AppDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (EmailIds.Parse(id) is not { } messageId || !await db.EmailMessages.AnyAsync(m => m.Id == messageId, ct))
        {
            return ApiError.NotFound("Email");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Conditional, so that a dispatcher claiming the message at this moment and this cancel cannot both win.
            var cancelled = await db.EmailMessages
                .Where(m => m.Id == messageId && (m.Status == EmailStatus.Queued || m.Status == EmailStatus.Deferred))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, EmailStatus.Cancelled).SetProperty(m => m.LeaseOwner, (string?)null), ct);
            if (cancelled == 0)
            {
                var status = await db.EmailMessages.Where(m => m.Id == messageId).Select(m => m.Status).FirstAsync(ct);
                return new ApiError(ErrorCodes.EmailNotCancellable,
                    $"This email is {status.ToString().ToLowerInvariant()} and can no longer be cancelled.");
            }

            await db.EmailRecipients.Where(r => r.MessageId == messageId && r.Status == RecipientStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Cancelled), ct);
            db.EmailEvents.Add(new EmailEvent { MessageId = messageId, Type = EmailEventType.Cancelled, At = now });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return ApiResults.Ok(http, (await EmailReads.ViewAsync(db, messageId, ct))!);
    }
}
