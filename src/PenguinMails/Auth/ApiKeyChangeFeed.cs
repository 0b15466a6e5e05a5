using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Auth;

/// <summary>
/// Evicts cached keys that any node changed (every change sets updated_at). One indexed query per poll,
/// whatever the number of keys.
/// </summary>
public sealed class ApiKeyChangeFeed(
    ApiKeyCache cache, IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options,
    ILogger<ApiKeyChangeFeed> logger) : ChangePoller(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.ApiKeys.ChangePollSeconds);

    protected override string Subject => "API keys";

    protected override async Task ApplyChangesAsync(AppDb db, DateTime since, CancellationToken ct)
    {
        var changed = await db.ApiKeys.IgnoreQueryFilters()
            .Where(k => k.UpdatedAt >= since)
            .Select(k => k.KeyId)
            .ToListAsync(ct);
        foreach (var keyId in changed)
        {
            cache.Evict(keyId);
        }
    }
}
