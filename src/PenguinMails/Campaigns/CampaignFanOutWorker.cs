using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Campaigns;

/// <summary>
/// The background fan-out: starts scheduled campaigns whose time has come, fans out sending campaigns whose
/// fan-out is incomplete (resuming after a restart from the committed cursor) under a lease, and marks sending
/// campaigns sent once their fan-out is complete and none of their messages is left in the queue. Wakes when a
/// campaign is sent or resumed on this node, or after the poll interval (on the injected clock).
/// </summary>
public sealed class CampaignFanOutWorker(CampaignLeases leases, CampaignFanOut fanOut, CampaignSignal signal,
    IOptions<PenguinMailsOptions> options, TimeProvider time, ILogger<CampaignFanOutWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Campaigns.FanOutEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            var pollAt = time.GetUtcNow() + TimeSpan.FromSeconds(options.Value.Campaigns.PollSeconds); // before "due" is judged
            try
            {
                await leases.StartDueAsync(stoppingToken);
                foreach (var (tenantId, campaignId) in await leases.ClaimAsync(stoppingToken))
                {
                    while (await fanOut.RunBatchAsync(tenantId, campaignId, leases.Node, stoppingToken))
                    {
                    }
                }

                await leases.FinishAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Campaign fan-out failed; it resumes from its committed cursor after the poll interval.");
            }

            try
            {
                await time.SleepUntilAsync(pollAt, wake, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}

/// <summary>Wakes this node's fan-out worker when a campaign is sent or resumed here.</summary>
public sealed class CampaignSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
