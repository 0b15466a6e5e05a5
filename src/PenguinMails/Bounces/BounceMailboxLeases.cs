using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Bounces;

/// <summary>
/// The one lease on reading the bounce mailbox: a node reads only while it holds the row of
/// <c>bounce_mailbox_leases</c> — taken by a conditional UPDATE when it has run out (or is already this node's), or by
/// inserting the row the first time — so with many nodes one reads, and another takes over when that one dies.
/// </summary>
public sealed class BounceMailboxLeases(IServiceScopeFactory scopes, NodeName node, WriteGate gate, TimeProvider time)
{
    public string Node => node.Value;

    public async Task<bool> TryTakeAsync(TimeSpan length, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + length;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        using (await gate.EnterAsync(db, ct))
        {
            var taken = await db.BounceMailboxLeases.Where(l => l.Id == 1 && (l.Until <= now || l.Owner == node.Value))
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, node.Value).SetProperty(l => l.Until, until), ct);
            if (taken == 1)
            {
                return true;
            }

            if (await db.BounceMailboxLeases.AnyAsync(ct))
            {
                return false;
            }

            db.BounceMailboxLeases.Add(new BounceMailboxLease { Owner = node.Value, Until = until });
            try
            {
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                return false;
            }
        }
    }

    public async Task ReleaseAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        using (await gate.EnterAsync(db, ct))
        {
            await db.BounceMailboxLeases.Where(l => l.Id == 1 && l.Owner == node.Value).ExecuteUpdateAsync(s => s.SetProperty(l => l.Until, now), ct);
        }
    }
}
