using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// Moves each key's <c>last_used_at</c> forward to its latest verified request in a batch of the request log, one
/// UPDATE per key: never backwards, so batches written out of order by several nodes end at the latest time. Requests
/// whose secret was wrong do not count: anyone who knows a key's identifier can send those.
/// </summary>
internal static class KeyLastUsed
{
    public static async Task MoveForwardAsync(AppDb db, IEnumerable<ApiRequest> requests, CancellationToken ct)
    {
        var latest = requests.Where(r => r.Authenticated)
            .GroupBy(r => r.ApiKeyId)
            .Select(g => (KeyId: g.Key, At: g.Max(r => r.OccurredAt)))
            .OrderBy(k => k.KeyId); // the same lock order on every node
        foreach (var (keyId, at) in latest)
        {
            await db.ApiKeys.IgnoreQueryFilters()
                .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
        }
    }
}
