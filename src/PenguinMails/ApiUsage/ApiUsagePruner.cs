using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// Deletes raw request rows older than <c>ApiUsage:RawRetentionDays</c> and roll-ups older than
/// <c>ApiUsage:RollupRetentionDays</c>, every <c>ApiUsage:PruneIntervalMinutes</c>. Every node runs it; deleting what
/// another node already deleted deletes nothing, so no coordination is needed.
/// </summary>
public sealed class ApiUsagePruner(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, ILogger<ApiUsagePruner> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.ApiUsage.PruneIntervalMinutes);

    protected override Task RunOnceAsync(CancellationToken ct) => PruneAsync(ct);

    /// <summary>Deletes what is past its retention; returns the raw rows and roll-up rows deleted.</summary>
    public async Task<(int Raw, int Rollups)> PruneAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var settings = options.Value.ApiUsage;
        var rawBefore = now.AddDays(-settings.RawRetentionDays);
        var rollupBefore = now.AddDays(-settings.RollupRetentionDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        // Across tenants on purpose: retention is the installation's. Tenant by tenant, along the table's key.
        var raw = 0;
        foreach (var tenant in await db.Tenants.IgnoreQueryFilters().Select(t => t.Id).ToListAsync(ct))
        {
            raw += await db.ApiRequests.IgnoreQueryFilters().Where(r => r.TenantId == tenant && r.OccurredAt < rawBefore).ExecuteDeleteAsync(ct);
        }

        var rollups = await db.ApiUsageRollups.IgnoreQueryFilters().Where(r => r.BucketStart < rollupBefore).ExecuteDeleteAsync(ct);
        return (raw, rollups);
    }
}
