using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PenguinMails.Domains;

/// <summary>
/// Keeps <see cref="VerifiedDomainCache"/> true to this node's own changes: a SaveChanges that adds, changes or deletes a
/// <see cref="SendingDomain"/> (or merely tracks one) forgets its tenant's entry when saved and, if a transaction was open, again when any
/// transaction commits (a check between the save and the commit could have read the old rows). Set-based writes
/// (<c>ExecuteDelete</c>) call <see cref="VerifiedDomainCache.Forget"/> themselves.
/// </summary>
public sealed class SendingDomainChanges(VerifiedDomainCache cache) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConcurrentDictionary<Guid, byte> _awaitingCommit = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Forget(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => AfterCommit();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterCommit();
        return Task.CompletedTask;
    }

    private void Forget(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Every tracked domain counts, changed or not: it spares a DetectChanges over the whole context (SaveChanges runs
        // its own after this), and a needless forget costs one query.
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries<SendingDomain>())
            {
                cache.Forget(entry.Entity.TenantId);
                if (context.Database.CurrentTransaction is not null)
                {
                    _awaitingCommit[entry.Entity.TenantId] = 0;
                }
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    private void AfterCommit()
    {
        if (_awaitingCommit.IsEmpty)
        {
            return;
        }

        foreach (var tenantId in _awaitingCommit.Keys)
        {
            _awaitingCommit.TryRemove(tenantId, out _);
            cache.Forget(tenantId);
        }
    }
}
