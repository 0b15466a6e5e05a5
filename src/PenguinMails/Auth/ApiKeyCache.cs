using System.Collections.Concurrent;
using PenguinMails.Data;

namespace PenguinMails.Auth;

/// <summary>
/// Keys by their public identifier, loaded once per node and kept until changed. A change made on this
/// node evicts its entry before the change is answered; changes made by other nodes are picked up by
/// <see cref="ApiKeyChangeFeed"/> within PenguinMails:ApiKeys:ChangePollSeconds.
/// Unknown identifiers are remembered too, so noise with a valid checksum costs one query, not one per request.
/// </summary>
public sealed class ApiKeyCache(IServiceScopeFactory scopes)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Lazy<Task<CachedKey?>>> _entries = new(StringComparer.Ordinal);

    public async Task<CachedKey?> GetAsync(string keyId)
    {
        var entry = _entries.GetOrAdd(keyId, id => new Lazy<Task<CachedKey?>>(() => LoadAsync(id)));
        try
        {
            return await entry.Value;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<string, Lazy<Task<CachedKey?>>>(keyId, entry));
            throw;
        }
    }

    public void Evict(string keyId) => _entries.TryRemove(keyId, out _);

    public void Clear() => _entries.Clear();

    private async Task<CachedKey?> LoadAsync(string keyId)
    {
        if (_entries.Count > MaxEntries)
        {
            _entries.Clear();
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(k => k.KeyId == keyId);
        return key is null ? null : CachedKey.From(key);
    }
}
