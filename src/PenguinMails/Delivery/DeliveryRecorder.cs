using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Suppressions;

namespace PenguinMails.Delivery;

/// <summary>
/// Writes an attempt's outcome in one transaction, and only while this node still holds the lease: the
/// message's new status (or its retry time, with exponential backoff up to the deadline), its recipients, its
/// events, the attempt itself, and hard bounces and complaints onto the suppression list. A node that lost its
/// lease writes nothing.
/// </summary>
public sealed class DeliveryRecorder(QueueClaims claims, WriteGate gate, TimeProvider time, IOptions<PenguinMailsOptions> options)
{
    public async Task<bool> SaveAsync(IServiceProvider services, EmailMessage email, DeliveryOutcome outcome, DateTimeOffset started, CancellationToken ct)
    {
        var now = started.UtcDateTime;
        var status = Conclude(email, outcome, now, out var next);
        var sentAt = email.SentAt ?? (outcome.Recipients.Values.Any(r => r.Status == RecipientStatus.Sent) ? now : null);
        var error = outcome.AttemptOutcome is "deferred" or "bounced" ? outcome.Response : email.LastError;
        var db = services.GetRequiredService<AppDb>();
        using var turn = await gate.EnterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var owned = await db.EmailMessages
            .Where(m => m.Id == email.Id && m.LeaseOwner == claims.Node && m.Status == EmailStatus.Sending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, status)
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.LeaseOwner, (string?)null)
                .SetProperty(m => m.LeaseUntil, (DateTime?)null)
                .SetProperty(m => m.SentAt, sentAt)
                .SetProperty(m => m.LastError, error), ct);
        if (owned == 0)
        {
            return false;
        }

        foreach (var (id, (recipientStatus, detail)) in outcome.Recipients)
        {
            await db.EmailRecipients.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, recipientStatus).SetProperty(r => r.Detail, detail), ct);
        }

        var suppressions = services.GetRequiredService<SuppressionList>();
        foreach (var address in outcome.HardBounces)
        {
            await suppressions.AddAsync(address, SuppressionReason.HardBounce, ct);
        }

        foreach (var address in outcome.Complaints)
        {
            await suppressions.AddAsync(address, SuppressionReason.Complaint, ct);
        }

        db.EmailEvents.AddRange(outcome.Events);
        db.DeliveryAttempts.Add(new DeliveryAttempt
        {
            MessageId = email.Id, Number = email.Attempts, StartedAt = now, Node = claims.Node, Outcome = outcome.AttemptOutcome,
            DurationMs = (int)Math.Min(int.MaxValue, (time.GetUtcNow() - started).TotalMilliseconds),
            SmtpCode = outcome.SmtpCode, Response = outcome.Response,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The message's status once every recipient is decided: suppressed if all were, sent if any was, else bounced
    /// or failed. While some recipient is still pending it is deferred, or failed when the next try would pass the deadline.
    /// </summary>
    private EmailStatus Conclude(EmailMessage email, DeliveryOutcome outcome, DateTime now, out DateTime next)
    {
        next = email.NextAttemptAt;
        var pending = email.Recipients.Where(r => outcome.StatusOf(r) == RecipientStatus.Pending).ToList();
        if (pending.Count > 0)
        {
            var delivery = options.Value.Delivery;
            var wait = Math.Min(delivery.RetryMaxSeconds, delivery.RetryBaseSeconds * Math.Pow(2, Math.Max(0, email.Attempts - 1)));
            next = now.AddSeconds(wait);
            if (next <= email.DeliverBy)
            {
                outcome.Event(EmailEventType.Deferred, null, $"attempt {email.Attempts}: {outcome.Response}; next attempt at {next:O}");
                return EmailStatus.Deferred;
            }

            foreach (var recipient in pending)
            {
                outcome.Set(recipient, RecipientStatus.Failed, EmailEventType.Failed,
                    $"gave up after {email.Attempts} attempts (deadline {email.DeliverBy:O}): {outcome.Response}");
            }
        }

        var statuses = email.Recipients.Select(outcome.StatusOf).ToList();
        return statuses.All(s => s == RecipientStatus.Suppressed) ? EmailStatus.Suppressed
            : statuses.Contains(RecipientStatus.Sent) ? EmailStatus.Sent
            : statuses.Contains(RecipientStatus.Bounced) ? EmailStatus.Bounced
            : EmailStatus.Failed;
    }
}
