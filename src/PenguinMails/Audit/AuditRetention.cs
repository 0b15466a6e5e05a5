using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Audit;

/// <summary>
/// Deletes audit-log entries older than <see cref="AuditOptions.RetentionDays"/>, every
/// <see cref="AuditOptions.PruneIntervalMinutes"/> on the injected clock, off the request path, in batches of
/// <see cref="AuditOptions.PruneBatchSize"/> rows. Every node may run it at once: each batch is one
/// <c>DELETE … WHERE id IN (SELECT … older than the cutoff LIMIT n)</c>, so two nodes at worst delete the same rows twice
/// (the second finds them gone) — nothing is lost that is younger than the cutoff, and no coordination is needed.
/// </summary>
public sealed class AuditRetention(IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options,
    ILogger<AuditRetention> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(Math.Max(1, options.Value.Audit.PruneIntervalMinutes));

    /// <summary>Deletes every entry older than the retention period; returns how many rows this call deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var audit = options.Value.Audit;
        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-audit.RetentionDays);
        var batch = Math.Max(1, audit.PruneBatchSize);
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            // Across tenants on purpose: retention is the installation's rule, not a tenant's.
            var old = db.SecurityEvents.IgnoreQueryFilters().Where(e => e.OccurredAt < cutoff).OrderBy(e => e.OccurredAt).Select(e => e.Id).Take(batch);
            var deleted = await db.SecurityEvents.IgnoreQueryFilters().Where(e => old.Contains(e.Id)).ExecuteDeleteAsync(ct);
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var deleted = await PruneAsync(ct);
        if (deleted > 0)
        {
            logger.LogInformation("Pruned {Count} audit-log entries older than {Days} days", deleted, options.Value.Audit.RetentionDays);
        }
    }
}
