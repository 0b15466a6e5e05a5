using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// Moves each key's <c>last_used_at</c> forward to its latest verified request in a batch of the request log, one
/// UPDATE per key: never backwards, so batches written out of order by several nodes end at the latest time. Requests
/// whose secret was wrong do not count: anyone who knows a key's identifier can send those.
/// </summary>
internal static class KeyLastUsed
{
    /// <summary>Keeps in <paramref name="latest"/> each key's latest verified request (a gathering of several batches).</summary>
    public static void Note(Dictionary<Guid, DateTime> latest, ApiRequest request)
    {
        if (request.Authenticated && (!latest.TryGetValue(request.ApiKeyId, out var at) || at < request.OccurredAt))
        {
            latest[request.ApiKeyId] = request.OccurredAt;
        }
    }

    public static async Task MoveForwardAsync(AppDb db, IReadOnlyDictionary<Guid, DateTime> latest, CancellationToken ct)
    {
        foreach (var (keyId, at) in latest.OrderBy(k => k.Key)) // the same lock order on every node
        {
            await db.ApiKeys.IgnoreQueryFilters()
                .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
        }
    }
}
