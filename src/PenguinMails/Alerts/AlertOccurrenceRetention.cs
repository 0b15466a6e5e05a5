using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Alerts;

/// <summary>
/// Deletes alert occurrences whose period ended more than <c>Alerts:OccurrenceRetentionDays</c> (default 30, at
/// least 2) ago, hourly. An occurrence only has to outlive the time its alert could be due again: the longest window is
/// a day, and a key's expiry alerts look at keys expiring from the start of today on, so a month is ample. Every node
/// may run it: deleting rows another node deleted deletes nothing.
/// </summary>
public sealed class AlertOccurrenceRetention(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, ILogger<AlertOccurrenceRetention> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken ct) => PruneAsync(ct);

    /// <summary>Deletes what is past its retention; returns the rows deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-Math.Max(2, options.Value.Alerts.OccurrenceRetentionDays));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        return await db.AlertOccurrences.IgnoreQueryFilters()
            .Where(o => o.CoveredUntil < cutoff && o.Period < cutoff).ExecuteDeleteAsync(ct);
    }
}
