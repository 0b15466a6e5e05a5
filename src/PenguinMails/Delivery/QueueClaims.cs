using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Delivery;

/// <summary>
/// Takes due messages for this node under a lease: queued or deferred ones whose time has come, and sending ones
/// whose lease ran out (their node died). On PostgreSQL one statement with <c>FOR UPDATE SKIP LOCKED</c>, so that
/// nodes never take the same message; on SQLite (one writer at a time) one UPDATE of the due candidates inside the write lock.
/// </summary>
public sealed class QueueClaims(IServiceScopeFactory scopes, NodeName node, WriteGate gate, TimeProvider time, IOptions<PenguinMailsOptions> options)
{
    /// <summary>This node's name in leases and delivery attempts.</summary>
    public string Node => node.Value;

    public async Task<List<Guid>> ClaimAsync(int max, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var until = now.AddSeconds(options.Value.Delivery.LeaseSeconds);
        using var turn = await gate.EnterAsync(db, ct);
        return db is PostgresAppDb ? await ClaimWithSkipLockedAsync(db, now, until, max, ct) : await ClaimInOneUpdateAsync(db, now, until, max, ct);
    }

    private async Task<List<Guid>> ClaimWithSkipLockedAsync(AppDb db, DateTime now, DateTime until, int max, CancellationToken ct) =>
        await db.Database.SqlQuery<Guid>($"""
            UPDATE email_messages SET status = 'Sending', lease_owner = {Node}, lease_until = {until}, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM email_messages
                WHERE (status IN ('Queued', 'Deferred') AND next_attempt_at <= {now}) OR (status = 'Sending' AND lease_until < {now})
                ORDER BY next_attempt_at
                LIMIT {max}
                FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(ct);

    /// <summary>
    /// SQLite: the transaction starts with <c>BEGIN IMMEDIATE</c> (the write lock), so the due candidates read inside it
    /// stay due until one UPDATE leases them all. Should the count differ all the same, nothing is claimed (rolled back).
    /// </summary>
    private async Task<List<Guid>> ClaimInOneUpdateAsync(AppDb db, DateTime now, DateTime until, int max, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct); // one commit for the whole claim
        var candidates = await Due(db, now).OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(max).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var taken = await Due(db, now).Where(m => candidates.Contains(m.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, EmailStatus.Sending)
            .SetProperty(m => m.LeaseOwner, Node)
            .SetProperty(m => m.LeaseUntil, until)
            .SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
        if (taken != candidates.Count)
        {
            return [];
        }

        await tx.CommitAsync(ct);
        return candidates;
    }

    private static IQueryable<EmailMessage> Due(AppDb db, DateTime now) =>
        db.EmailMessages.IgnoreQueryFilters().Where(m =>
            ((m.Status == EmailStatus.Queued || m.Status == EmailStatus.Deferred) && m.NextAttemptAt <= now)
            || (m.Status == EmailStatus.Sending && m.LeaseUntil < now));
}
