using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Webhooks;

/// <summary>
/// Delivers due webhook deliveries. Claims ahead, in batches, what this node has room for — per endpoint
/// <see cref="WebhookOptions.PerEndpointConcurrency"/> × 1 to <see cref="QueuedPerSlot"/>, as many as its average
/// answer time lets start within a quarter of the lease (<see cref="PlacesOf"/>) — loading their events and endpoints
/// in two queries per batch; then starts them from those local queues as slots free: <see cref="WebhookOptions.Concurrency"/> in flight in
/// all and <see cref="WebhookOptions.PerEndpointConcurrency"/> per endpoint, so that a slow or failing endpoint holds
/// at most its own slots and never another's. Outcomes are written in groups by <see cref="WebhookOutcomeWriter"/>.
/// An endpoint that answers 410 Gone loses its queued deliveries at once (failed without a request, as a disabled
/// endpoint's are at the claim), and a queued delivery whose endpoint was disabled since its claim is not sent.
/// A delivery that waited in its queue for half its lease (behind a slow endpoint) is not sent: its lease runs out and
/// it is claimed again, so that no answer arrives after the lease has passed to another node. Sleeps until events are staged on this node, a finished delivery leaves its endpoint's queue half empty, or the poll interval passes
/// (on the injected clock). A node killed mid-delivery leaves its leases to run out; the delivery is then taken again.
/// </summary>
public sealed class WebhookDispatcher(WebhookClaims claims, IServiceScopeFactory scopes, WebhookSignal signal, WebhookSender sender,
    WebhookOutcomeWriter outcomes, TimeProvider time, IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> log) : BackgroundService
{
    /// <summary>Deliveries claimed ahead per slot at most (a fast endpoint): enough to keep its slots busy between two claims.</summary>
    public const int QueuedPerSlot = 64;

    /// <summary>Deliveries claimed ahead per slot for an endpoint not yet timed on this node.</summary>
    public const int QueuedPerSlotUntimed = 2;

    /// <summary>Endpoints whose answer time this node remembers at most.</summary>
    private const int MaxTimedEndpoints = 10_000;

    private readonly Dictionary<Guid, Queue<Ready>> _queued = [];
    private readonly Dictionary<Guid, int> _inFlightByEndpoint = [];
    private readonly Dictionary<Guid, double> _latencyMs = []; // per endpoint, moving average of its answers' time
    private readonly HashSet<Task> _inFlight = [];
    /// <summary>Endpoints that answered 410 on this node, with the copy whose outcome disables them, until that is recorded.</summary>
    private readonly Dictionary<Guid, (WebhookEndpoint Copy, DateTimeOffset At)> _gone = [];
    private readonly Lock _lock = new();
    private int _queuedCount;
    private volatile Slots? _slots; // set while the loop runs, so that a finishing delivery can start the next
    private bool _stopping;

    private sealed record Slots(int Concurrency, int PerEndpoint, CancellationToken Stop);
    private TaskCompletionSource _slotFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the next turn should look for due deliveries: events were staged, the poll interval passed, or an
    /// endpoint's queue drained below half (a finished delivery alone does not make a claim worth its queries).</summary>
    private volatile bool _claimWanted = true;

    private sealed record Ready(WebhookClaims.Claimed Claim, WebhookEndpoint Endpoint, WebhookEvent Event);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var writer = outcomes.RunAsync();
        var (concurrency, perEndpoint) = (Math.Max(1, settings.Concurrency), Math.Max(1, settings.PerEndpointConcurrency));
        _slots = new Slots(concurrency, perEndpoint, stoppingToken);
        try
        {
            var previousWake = signal.Next;
            while (!stoppingToken.IsCancellationRequested)
            {
                var (wake, freed) = (signal.Next, SlotFreed());
                _claimWanted |= previousWake.IsCompleted; // events staged while this loop was busy starting others
                previousWake = wake;
                // The poll interval counts from the claim's start, so a clock that moved during the claim is not slept through.
                var pollAt = time.GetUtcNow() + TimeSpan.FromSeconds(settings.PollSeconds);
                var claimed = 0;
                if (_claimWanted && Queued() <= concurrency * QueuedPerSlot / 2)
                {
                    _claimWanted = false;
                    try
                    {
                        claimed = await ClaimAsync(concurrency * QueuedPerSlot - Queued(), perEndpoint, stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        log.LogWarning(e, "Claiming due webhook deliveries failed; trying again after the poll interval.");
                    }

                    _claimWanted |= claimed > 0; // there may be more
                }

                var started = StartReady(concurrency, perEndpoint, stoppingToken);
                if (claimed == 0 && started == 0)
                {
                    await SleepAsync(wake, freed, pollAt, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _slots = null;
            while (true)
            {
                Task[] running;
                lock (_lock)
                {
                    _stopping = true; // no more starts, from this loop or from a finishing delivery
                    running = [.. _inFlight];
                }

                if (running.Length == 0)
                {
                    break;
                }

                await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            }

            outcomes.Complete();
            await writer; // every attempt made is recorded before the node stops
        }
    }

    /// <summary>Claims up to <paramref name="room"/> deliveries, each endpoint's share bounded by its free queue places.</summary>
    private async Task<int> ClaimAsync(int room, int perEndpoint, CancellationToken ct)
    {
        Dictionary<Guid, int> free;
        lock (_lock)
        {
            foreach (var gone in _gone.Keys.ToList())
            {
                GoneUnrecorded(gone); // forgets what is recorded or stale, so that the map stays small
            }

            // An endpoint with more than half its places taken is left out until it drains, so claims come in batches.
            free = _queued.Keys.Union(_inFlightByEndpoint.Keys).Union(_latencyMs.Keys).Select(id => (Id: id, Places: PlacesOf(id, perEndpoint),
                    Taken: (_queued.TryGetValue(id, out var q) ? q.Count : 0) + _inFlightByEndpoint.GetValueOrDefault(id)))
                .ToDictionary(e => e.Id, e => (e.Places - e.Taken) * 2 < e.Places ? 0 : e.Places - e.Taken);
        }

        var batch = await claims.ClaimAsync(room, free, ct, share: perEndpoint * QueuedPerSlotUntimed);
        if (batch.Count == 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var (eventIds, endpointIds) = (batch.Select(c => c.EventId).Distinct().ToList(), batch.Select(c => c.EndpointId).Distinct().ToList());
        var events = await db.Set<WebhookEvent>().IgnoreQueryFilters().AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var endpoints = await db.Set<WebhookEndpoint>().IgnoreQueryFilters().AsNoTracking().Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        foreach (var claim in batch)
        {
            var endpoint = endpoints[claim.EndpointId];
            if (!endpoint.Enabled || endpoint.DeletedAt is not null)
            {
                outcomes.Abandon(claim, endpoint.DeletedAt is not null ? "The endpoint was deleted." : "The endpoint is disabled.");
                continue;
            }

            lock (_lock)
            {
                if (GoneUnrecorded(claim.EndpointId))
                {
                    outcomes.Abandon(claim, GoneReason);
                    continue;
                }

                if (!_queued.TryGetValue(claim.EndpointId, out var queue))
                {
                    _queued[claim.EndpointId] = queue = new Queue<Ready>();
                }

                queue.Enqueue(new Ready(claim, endpoint, events[claim.EventId]));
                _queuedCount++;
            }
        }

        return batch.Count;
    }

    /// <summary>Starts queued deliveries while there are free slots, in all and per endpoint; returns how many it started.</summary>
    private int StartReady(int concurrency, int perEndpoint, CancellationToken stop)
    {
        var started = 0;
        var latestStart = TimeSpan.FromSeconds(options.Value.LeaseSeconds / 2);
        lock (_lock)
        {
            if (_stopping || stop.IsCancellationRequested)
            {
                return 0;
            }

            foreach (var (endpointId, queue) in _queued.ToList())
            {
                while (queue.Count > 0 && _inFlight.Count < concurrency && _inFlightByEndpoint.GetValueOrDefault(endpointId) < perEndpoint)
                {
                    var ready = queue.Dequeue();
                    _queuedCount--;
                    if (ready.Claim.LeaseUntil - time.GetUtcNow().UtcDateTime < latestStart)
                    {
                        continue; // queued for half its lease (a slow endpoint): left for the lease to run out and a fresh claim
                    }

                    if (!ready.Endpoint.Enabled || GoneUnrecorded(endpointId))
                    {
                        // Disabled since the claim (its copy is the one the outcome recorder turned off): as a claim would.
                        outcomes.Abandon(ready.Claim, ready.Endpoint.Enabled ? GoneReason : "The endpoint is disabled.");
                        continue;
                    }

                    _inFlightByEndpoint[endpointId] = _inFlightByEndpoint.GetValueOrDefault(endpointId) + 1;
                    var task = Task.Run(() => DeliverAsync(ready, stop), CancellationToken.None);
                    _inFlight.Add(task);
                    task.ContinueWith(done => Finished(done, endpointId, perEndpoint), TaskScheduler.Default);
                    started++;
                }

                if (queue.Count == 0)
                {
                    _queued.Remove(endpointId);
                }
            }
        }

        return started;
    }

    /// <summary>
    /// How many deliveries an endpoint may have claimed on this node (queued and in flight): as many per slot as can start
    /// within a quarter of the lease at the endpoint's average answer time — up to <see cref="QueuedPerSlot"/> for a fast
    /// endpoint, one for a slow one — so that a fast endpoint's slots never wait for a claim and a slow endpoint's claims
    /// do not sit in the queue until their lease runs out. Called under the lock.
    /// </summary>
    private int PlacesOf(Guid endpointId, int perEndpoint)
    {
        if (!_latencyMs.TryGetValue(endpointId, out var latency))
        {
            return perEndpoint * QueuedPerSlotUntimed;
        }

        var startable = options.Value.LeaseSeconds * 1000 / 4 / Math.Max(1, latency);
        return perEndpoint * (int)Math.Clamp(startable, 1, QueuedPerSlot);
    }

    private void Finished(Task done, Guid endpointId, int perEndpoint)
    {
        lock (_lock)
        {
            _inFlight.Remove(done);
            if (--_inFlightByEndpoint[endpointId] == 0)
            {
                _inFlightByEndpoint.Remove(endpointId);
            }

            var taken = (_queued.TryGetValue(endpointId, out var queue) ? queue.Count : 0) + _inFlightByEndpoint.GetValueOrDefault(endpointId);
            if (taken * 2 <= PlacesOf(endpointId, perEndpoint) || _slots is null)
            {
                // Only a claim (or a stopping loop) needs the loop: the next queued delivery is started just below. Waking
                // it for every finished delivery cost a wake-up, a timer and a context switch each.
                _claimWanted = true;
                Interlocked.Exchange(ref _slotFreed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }

        // The freed slot takes the next queued delivery at once, not after the loop's next turn (which may be in a claim).
        if (_slots is { } slots)
        {
            StartReady(slots.Concurrency, slots.PerEndpoint, slots.Stop);
        }
    }

    private const string GoneReason = "The endpoint answered 410 Gone and is disabled.";

    /// <summary>
    /// Fails without a request every delivery of <paramref name="endpointId"/> queued on this node: the endpoint said it is
    /// gone (410), and they were claimed before that. Those claimed until the outcome disables it in the database are
    /// failed alike (<see cref="GoneUnrecorded"/>); those claimed after find it disabled.
    /// </summary>
    private void AbandonQueued(Guid endpointId)
    {
        Ready[] dropped;
        lock (_lock)
        {
            if (!_queued.Remove(endpointId, out var queue))
            {
                return;
            }

            dropped = [.. queue];
            _queuedCount -= dropped.Length;
        }

        foreach (var ready in dropped)
        {
            outcomes.Abandon(ready.Claim, GoneReason);
        }
    }

    /// <summary>
    /// Whether <paramref name="endpointId"/> answered 410 on this node and the outcome that disables it is not recorded
    /// yet (the recorder turns off the very copy it was given), for at most a lease (an outcome not written by then is
    /// lost, and the endpoint stays on). Once recorded, the database says it: a user may turn it on again. Under the lock.
    /// </summary>
    private bool GoneUnrecorded(Guid endpointId)
    {
        if (!_gone.TryGetValue(endpointId, out var gone))
        {
            return false;
        }

        if (gone.Copy.Enabled && time.GetUtcNow() - gone.At < TimeSpan.FromSeconds(options.Value.LeaseSeconds))
        {
            return true;
        }

        _gone.Remove(endpointId);
        return false;
    }

    private Task SlotFreed() => Volatile.Read(ref _slotFreed).Task;

    private int Queued()
    {
        lock (_lock)
        {
            return _queuedCount;
        }
    }

    private async Task DeliverAsync(Ready ready, CancellationToken stop)
    {
        try
        {
            var attempt = await sender.SendAsync(ready.Endpoint, ready.Event, stop);
            lock (_lock)
            {
                if (_latencyMs.Count >= MaxTimedEndpoints && !_latencyMs.ContainsKey(ready.Endpoint.Id))
                {
                    _latencyMs.Clear(); // bounded: endpoints come and go over a node's life; each is timed again quickly
                }

                _latencyMs[ready.Endpoint.Id] = _latencyMs.TryGetValue(ready.Endpoint.Id, out var average)
                    ? average * 0.9 + attempt.LatencyMs * 0.1 : attempt.LatencyMs;
            }

            outcomes.Add(ready.Claim, ready.Endpoint, attempt);
            if (attempt.StatusCode == 410)
            {
                lock (_lock)
                {
                    _gone[ready.Endpoint.Id] = (ready.Endpoint, time.GetUtcNow());
                }

                AbandonQueued(ready.Endpoint.Id);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "Delivering webhook {DeliveryId} failed unexpectedly; it is tried again when its lease ends.", ready.Claim.Id);
        }
    }

    /// <summary>Until events are staged (<paramref name="wake"/>), a slot frees, or <paramref name="pollAt"/> comes; the
    /// first and the last also make the next turn claim.</summary>
    private async Task SleepAsync(Task wake, Task freed, DateTimeOffset pollAt, CancellationToken stop)
    {
        var woken = await time.SleepUntilAsync(pollAt, Task.WhenAny(wake, freed), stop);
        _claimWanted |= !woken || wake.IsCompleted;
    }
}
