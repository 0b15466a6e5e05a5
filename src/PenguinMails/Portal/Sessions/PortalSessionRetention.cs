using PenguinMails.Data;

namespace PenguinMails.Portal.Sessions;

/// <summary>
/// Deletes portal sessions that can no longer be used, hourly: expired ones, and those issued before their account's
/// current security stamp (<see cref="PortalTicketStore"/> already refuses both). Every node may run it.
/// </summary>
public sealed class PortalSessionRetention(IServiceScopeFactory scopes, TimeProvider time, ILogger<PortalSessionRetention> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override Task RunOnceAsync(CancellationToken ct) => PruneAsync(ct);

    /// <summary>Deletes the sessions no request can use any more; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        return await db.PortalSessions
            .Where(s => s.ExpiresAt <= now || !db.Accounts.Any(a => a.Id == s.AccountId && a.SecurityStamp == s.SecurityStamp))
            .ExecuteDeleteAsync(ct);
    }
}
