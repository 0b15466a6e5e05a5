using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;

namespace PenguinMails.Delivery;

/// <summary>
/// Writes the outcomes of a batch of attempts in one transaction (one commit), each only while this node still holds
/// its message's lease: the message's new status (or its retry time, with exponential backoff up to the deadline),
/// its recipients, its events, the attempt itself, and hard bounces and complaints onto the suppression list. A
/// message whose lease this node lost gets nothing written. Rows of each tenant are written through a context of
/// that tenant, all on the one connection and transaction.
/// </summary>
public sealed class DeliveryRecorder(IServiceScopeFactory scopes, QueueClaims claims, WriteGate gate, IOptions<PenguinMailsOptions> options)
{
    /// <summary>Returns how many outcomes were recorded (the others' leases had gone).</summary>
    public async Task<int> SaveAsync(IReadOnlyList<DeliveryRecord> batch, CancellationToken ct)
    {
        await using var root = scopes.CreateAsyncScope();
        var db = root.ServiceProvider.GetRequiredService<AppDb>();
        using var turn = await gate.EnterAsync(db, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var leased = await StillLeasedAsync(db, batch.Select(r => r.Email.Id).ToArray(), ct);
        var recorded = 0;
        // A message whose lease ran out while it waited here, and that this node claimed again, is recorded once: the later claim.
        var current = batch.Where(r => leased.Contains(r.Email.Id)).GroupBy(r => r.Email.Id).Select(g => g.MaxBy(r => r.Email.Attempts)!);
        foreach (var tenant in current.GroupBy(r => r.Email.TenantId))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant.Key);
            var tenantDb = scope.ServiceProvider.GetRequiredService<AppDb>();
            tenantDb.Database.SetDbConnection(db.Database.GetDbConnection());
            await tenantDb.Database.UseTransactionAsync(tx.GetDbTransaction(), ct);
            var suppressions = scope.ServiceProvider.GetRequiredService<SuppressionList>();
            foreach (var record in tenant)
            {
                await SaveOneAsync(tenantDb, suppressions, record, ct);
                recorded++;
            }

            await tenantDb.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        return recorded;
    }

    /// <summary>
    /// The messages of the batch this node still holds, locked until the commit: on PostgreSQL <c>FOR UPDATE</c> (a
    /// node taking over an expired lease skips or waits for them); on SQLite the transaction already has the write lock.
    /// </summary>
    private async Task<HashSet<Guid>> StillLeasedAsync(AppDb db, Guid[] ids, CancellationToken ct) =>
        (db is PostgresAppDb
            ? await db.Database.SqlQuery<Guid>($"""
                SELECT id AS "Value" FROM email_messages
                WHERE id = ANY({ids}) AND lease_owner = {claims.Node} AND status = 'Sending'
                FOR UPDATE
                """).ToListAsync(ct)
            : await db.EmailMessages.IgnoreQueryFilters()
                .Where(m => ids.Contains(m.Id) && m.LeaseOwner == claims.Node && m.Status == EmailStatus.Sending)
                .Select(m => m.Id).ToListAsync(ct)).ToHashSet();

    /// <summary>Updates the message and its recipients as tracked entities, so one SaveChanges writes the whole batch.</summary>
    private async Task SaveOneAsync(AppDb db, SuppressionList suppressions, DeliveryRecord record, CancellationToken ct)
    {
        var (email, outcome) = (record.Email, record.Outcome);
        var now = record.Started.UtcDateTime;
        var status = Conclude(email, outcome, now, out var next);
        db.EmailMessages.Attach(email);
        email.SentAt ??= outcome.Recipients.Values.Any(r => r.Status == RecipientStatus.Sent) ? now : null;
        email.EspMessageId = outcome.EspMessageId ?? email.EspMessageId;
        email.LastError = outcome.AttemptOutcome is "deferred" or "bounced" or "failed" ? outcome.Response : email.LastError;
        (email.Status, email.NextAttemptAt, email.LeaseOwner, email.LeaseUntil) = (status, next, null, null);
        foreach (var recipient in email.Recipients)
        {
            if (outcome.Recipients.TryGetValue(recipient.Id, out var decided))
            {
                (recipient.Status, recipient.Detail) = decided;
            }
        }

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
            DurationMs = record.DurationMs, SmtpCode = outcome.SmtpCode, Response = outcome.Response,
        });
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
            wait = Math.Max(wait, outcome.RetryAfter?.TotalSeconds ?? 0);
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
