using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Installation;

/// <summary>
/// Deletes the installation's own messages that were sent, or failed for good, more than
/// <c>InstallationMail:RetentionDays</c> (default 30, at least 1) ago, hourly; queued ones are never touched. What is
/// kept meanwhile serves the per-address throttles (password resets count the last hour) and an operator's questions.
/// </summary>
public sealed class InstallationMailRetention(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, ILogger<InstallationMailRetention> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken ct) => PruneAsync(ct);

    /// <summary>Deletes what is past its retention; returns the rows deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-Math.Max(1, options.Value.InstallationMail.RetentionDays));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        return await db.InstallationMail
            .Where(m => m.Status != InstallationMessageStatus.Queued && m.CreatedAt < cutoff && (m.SentAt == null || m.SentAt < cutoff))
            .ExecuteDeleteAsync(ct);
    }
}
