using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Webhooks;

/// <summary>
/// Delivers due webhook deliveries: claims what this node has room for (<see cref="WebhookOptions.Concurrency"/> in
/// all, <see cref="WebhookOptions.PerEndpointConcurrency"/> per endpoint, so that a slow or failing endpoint holds at
/// most its own slots and never another's), sends each on its own task and records the outcome. Sleeps until events
/// are staged on this node, a delivery finishes, or the poll interval passes (on the injected clock). A node killed
/// mid-delivery leaves its leases to run out; the delivery is then taken again, by this node after a restart or another.
/// </summary>
public sealed class WebhookDispatcher(WebhookClaims claims, IServiceScopeFactory scopes, WebhookSignal signal, TimeProvider time,
    IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> log) : BackgroundService
{
    private readonly Dictionary<Guid, int> _inFlightByEndpoint = [];
    private readonly HashSet<Task> _inFlight = [];
    private readonly Lock _lock = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var concurrency = Math.Max(1, settings.Concurrency);
        var perEndpoint = Math.Max(1, settings.PerEndpointConcurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = signal.Next;
                // The poll interval counts from the claim's start, so a clock that moved during the claim is not slept through.
                var pollAt = time.GetUtcNow() + TimeSpan.FromSeconds(settings.PollSeconds);
                var claimed = 0;
                var room = concurrency - Count();
                if (room > 0)
                {
                    try
                    {
                        foreach (var claim in await claims.ClaimAsync(room, Slots(perEndpoint), stoppingToken))
                        {
                            Start(claim, stoppingToken);
                            claimed++;
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        log.LogWarning(e, "Claiming due webhook deliveries failed; trying again after the poll interval.");
                    }
                }

                if (claimed == 0 || Count() >= concurrency)
                {
                    await SleepAsync(wake, pollAt - time.GetUtcNow(), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Task[] running;
            lock (_lock)
            {
                running = [.. _inFlight];
            }

            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private int Count()
    {
        lock (_lock)
        {
            return _inFlight.Count;
        }
    }

    private Dictionary<Guid, int> Slots(int perEndpoint)
    {
        lock (_lock)
        {
            return _inFlightByEndpoint.ToDictionary(p => p.Key, p => perEndpoint - p.Value);
        }
    }

    private void Start(WebhookClaims.Claimed claim, CancellationToken stop)
    {
        lock (_lock)
        {
            _inFlightByEndpoint[claim.EndpointId] = _inFlightByEndpoint.GetValueOrDefault(claim.EndpointId) + 1;
            var task = Task.Run(() => DeliverAsync(claim, stop), CancellationToken.None);
            _inFlight.Add(task);
            task.ContinueWith(done =>
            {
                lock (_lock)
                {
                    _inFlight.Remove(done);
                    if (--_inFlightByEndpoint[claim.EndpointId] == 0)
                    {
                        _inFlightByEndpoint.Remove(claim.EndpointId);
                    }
                }

                signal.Notify(); // room for another claim
            }, TaskScheduler.Default);
        }
    }

    private async Task DeliverAsync(WebhookClaims.Claimed claim, CancellationToken stop)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(claim.TenantId);
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var outcomes = scope.ServiceProvider.GetRequiredService<WebhookOutcomes>();
            var delivery = await db.Set<WebhookDelivery>().AsNoTracking().FirstAsync(d => d.Id == claim.Id, stop);
            var endpoint = await db.Set<WebhookEndpoint>().AsNoTracking().FirstAsync(e => e.Id == delivery.EndpointId, stop);
            if (!endpoint.Enabled || endpoint.DeletedAt is not null)
            {
                await outcomes.AbandonAsync(claim, endpoint.DeletedAt is not null ? "The endpoint was deleted." : "The endpoint is disabled.", stop);
                return;
            }

            var e = await db.Set<WebhookEvent>().AsNoTracking().FirstAsync(x => x.Id == delivery.EventId, stop);
            var attempt = await scope.ServiceProvider.GetRequiredService<WebhookSender>().SendAsync(endpoint, e, stop);
            // Not cancelled by the stop: an attempt made is recorded, or the receiver would get it again after the lease.
            await outcomes.RecordAsync(claim, endpoint, attempt, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "Delivering webhook {DeliveryId} failed unexpectedly; it is tried again when its lease ends.", claim.Id);
        }
    }

    private async Task SleepAsync(Task wake, TimeSpan poll, CancellationToken stop)
    {
        if (poll <= TimeSpan.Zero)
        {
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(poll, time, cancel.Token);
        await Task.WhenAny(wake, delay);
        await cancel.CancelAsync();
        stop.ThrowIfCancellationRequested();
    }
}
