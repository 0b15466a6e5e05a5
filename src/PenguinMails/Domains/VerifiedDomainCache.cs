using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Domains;

/// <summary>
/// Each tenant's verified domain names as the sender rule reads them (<see cref="SenderDomains"/>), kept for
/// <see cref="DomainOptions.SenderCacheSeconds"/> so that a send does not query <c>sending_domains</c> each time.
/// A change to a sending domain saved on this node forgets the tenant's entry when it is saved and again when its
/// transaction commits (<see cref="SendingDomainChanges"/>); a change made elsewhere is seen once the entry expires.
/// </summary>
public sealed class VerifiedDomainCache(IOptions<PenguinMailsOptions> options)
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>Bumped by every <see cref="Forget"/>: a load that began before a forget does not store what it read.</summary>
    private long _generation;

    /// <summary>The tenant's verified domain names (IDNA ASCII, lower case), from the cache or <paramref name="db"/>.</summary>
    public async ValueTask<string[]> GetAsync(Lazy<AppDb> db, Guid tenantId, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(tenantId, out var entry) && now < entry.ExpiresAt)
        {
            return entry.Names;
        }

        var generation = Interlocked.Read(ref _generation);
        var names = await db.Value.SendingDomains.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.Status == DomainStatus.Verified)
            .Select(d => d.Name).ToArrayAsync(ct);
        var lifetime = (long)(options.Value.Domains.SenderCacheSeconds * 1000);
        if (lifetime > 0)
        {
            _entries[tenantId] = new Entry(names, now + lifetime);
            if (Interlocked.Read(ref _generation) != generation)
            {
                _entries.TryRemove(tenantId, out _); // forgotten while we read: what we read may be stale
            }
        }

        return names;
    }

    /// <summary>Drops the tenant's entry: the next check reads the database.</summary>
    public void Forget(Guid tenantId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(tenantId, out _);
    }

    private sealed record Entry(string[] Names, long ExpiresAt);
}
