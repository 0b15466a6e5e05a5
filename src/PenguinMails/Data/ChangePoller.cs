namespace PenguinMails.Data;

/// <summary>
/// Polls the database for rows whose <c>updated_at</c> moved, every <see cref="Interval"/>: how a node learns of
/// changes other nodes or the CLI made (keys revoked, plans changed). Each poll reads from 30 s before the start of
/// the previous one, to allow for clock skew and for a read that raced a change; a failed poll is logged and the
/// next one covers the same window.
/// </summary>
public abstract class ChangePoller(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);

    protected IServiceScopeFactory Scopes { get; } = scopes;

    protected abstract TimeSpan Interval { get; }

    /// <summary>What the poll is about, for the log line of a failed poll.</summary>
    protected abstract string Subject { get; }

    /// <summary>Reads the rows changed at or after <paramref name="since"/> and applies them.</summary>
    protected abstract Task ApplyChangesAsync(AppDb db, DateTime since, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var since = time.GetUtcNow().UtcDateTime - Overlap;
        var next = time.GetUtcNow() + Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await time.SleepUntilAsync(next, stoppingToken);
                next = time.GetUtcNow() + Interval; // counted from this poll's start, so a poll's length is not added to it
                var pollStart = time.GetUtcNow().UtcDateTime;
                await using var scope = Scopes.CreateAsyncScope();
                await ApplyChangesAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), since, stoppingToken);
                since = pollStart - Overlap;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Polling for changed {Subject} failed", Subject);
            }
        }
    }
}
