using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Auth;

/// <summary>
/// Evicts cached keys that any node changed (every change sets updated_at). One indexed query per poll,
/// whatever the number of keys; the window overlaps the last poll to allow for clock skew between nodes.
/// </summary>
public sealed class ApiKeyChangeFeed(
    ApiKeyCache cache, IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options,
    ILogger<ApiKeyChangeFeed> logger) : BackgroundService
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ApiKeys.ChangePollSeconds);
        var since = time.GetUtcNow().UtcDateTime - Overlap;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
                var pollStart = time.GetUtcNow().UtcDateTime;
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                var changed = await db.ApiKeys.IgnoreQueryFilters()
                    .Where(k => k.UpdatedAt >= since)
                    .Select(k => k.KeyId)
                    .ToListAsync(stoppingToken);
                foreach (var keyId in changed)
                {
                    cache.Evict(keyId);
                }

                since = pollStart - Overlap;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database being away must not stop the feed; the next poll covers the same window.
                logger.LogWarning(e, "Polling for changed API keys failed");
            }
        }
    }
}
