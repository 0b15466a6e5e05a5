namespace PenguinMails.Data;

/// <summary>
/// A background job that runs <see cref="RunOnceAsync"/> every <see cref="Interval"/> on the injected clock (so tests
/// drive it with a fake one), first one interval after start. A failed run is logged and tried again at the next
/// interval; stopping the host ends the wait at once.
/// </summary>
public abstract class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The clock the job waits on and judges ages by.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>Time between two runs; at least one second.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the job does each time.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : Interval;
        var next = Time.GetUtcNow() + interval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Time.SleepUntilAsync(next, stoppingToken);
                next = Time.GetUtcNow() + interval; // counted from this run's start, so a run's length is not added to it
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "{Job} failed; it runs again in {Interval}", GetType().Name, interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
