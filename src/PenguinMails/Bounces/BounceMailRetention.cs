using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Bounces;

/// <summary>
/// Deletes the inbound-mail log (<see cref="BounceMail"/>) older than <c>Bounces:MailLogRetentionDays</c> (default 30,
/// at least 1), hourly, so that it does not grow with every report for ever; <c>GET /inbound/bounces/stats</c> then
/// counts over that window. Kept whatever its age: the POP3 reader's memory of mail it set aside and left in the
/// mailbox (key <c>pop3:&lt;UIDL&gt;</c>), without which that mail would be read and counted again. The reports' effects
/// (events, statuses, suppressions) live with their messages and are not touched.
/// </summary>
public sealed class BounceMailRetention(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, ILogger<BounceMailRetention> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken ct) => PruneAsync(ct);

    /// <summary>Deletes what is past its retention; returns the rows deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = Time.GetUtcNow().UtcDateTime.AddDays(-Math.Max(1, options.Value.Bounces.MailLogRetentionDays));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        return await db.BounceMail
            .Where(m => m.At < cutoff && !(EF.Functions.Like(m.Key, "pop3:%")
                && m.Outcome != BounceOutcome.Recorded && m.Outcome != BounceOutcome.Duplicate && m.Outcome != BounceOutcome.Ignored))
            .ExecuteDeleteAsync(ct);
    }
}
