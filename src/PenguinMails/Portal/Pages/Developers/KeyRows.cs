using PenguinMails.ApiKeys;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>A key as the portal's tables show it: masked (<c>pm_live_abc...xyz</c>), never whole (DECISIONS.md "API keys").</summary>
public sealed record KeyRow(Guid Id, string Name, string KeyId, string Masked, KeyStatus Status, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>Reads the current tenant's keys with the API's own list query (ApiKeyList), so pages and API agree.</summary>
public static class KeyRows
{
    public static async Task<List<KeyRow>> ListAsync(AppDb db, string status, int limit, DateTime now, CancellationToken ct)
    {
        var query = new ApiKeyListQuery(null, status, "created_at", "desc", limit, null);
        var (page, _) = await ApiKeyList.RunAsync(db, query, null, now, ct);
        return page.Select(k => new KeyRow(k.Id, k.Name, k.KeyId, k.MaskedKey, k.StatusAt(now), k.CreatedAt, k.LastUsedAt)).ToList();
    }
}
