using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Http;

namespace PenguinMails.Webhooks;

/// <summary>
/// An endpoint's delivery log (newest first, filtered by status, event type and creation time), replays (a new
/// delivery of the same event: the same body and <c>webhook-id</c>, as the Standard Webhooks specification intends) and
/// "send test event". Used by the API and the portal alike; everything within the current tenant.
/// </summary>
public sealed class WebhookDeliveryLog(AppDb db, WriteGate gate, WebhookOutbox outbox, WebhookSignal signal)
{
    public sealed record Filter(WebhookDeliveryStatus? Status, string? EventType, DateTime? From, DateTime? To, int Limit, Cursor? After);

    public async Task<(List<WebhookDelivery> Page, bool HasMore)> QueryAsync(Guid endpointId, Filter filter, CancellationToken ct)
    {
        var rows = db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.EndpointId == endpointId);
        rows = filter.Status is { } status ? rows.Where(d => d.Status == status) : rows;
        rows = filter.EventType is { } type ? rows.Where(d => d.EventType == type) : rows;
        rows = filter.From is { } from ? rows.Where(d => d.CreatedAt >= from) : rows;
        rows = filter.To is { } to ? rows.Where(d => d.CreatedAt < to) : rows;
        if (filter.After is { Time: { } at } after)
        {
            rows = rows.Where(d => d.CreatedAt < at || (d.CreatedAt == at && d.Id.CompareTo(after.Id) < 0));
        }

        var page = await rows.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(filter.Limit + 1).ToListAsync(ct);
        return (page.Take(filter.Limit).ToList(), page.Count > filter.Limit);
    }

    public Task<WebhookDelivery?> FindAsync(Guid id, CancellationToken ct) =>
        db.Set<WebhookDelivery>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);

    /// <summary>Sends the delivery's event to its endpoint again (see <see cref="ReplayAllAsync"/>); null when the endpoint is gone.</summary>
    public async Task<WebhookDelivery?> ReplayAsync(WebhookDelivery original, CancellationToken ct)
    {
        var replays = await ReplayAllAsync([original], ct);
        return replays.FirstOrDefault();
    }

    /// <summary>Every failed delivery of the endpoint created in [from, to), each sent again once.</summary>
    public async Task<List<WebhookDelivery>> ReplayFailedAsync(Guid endpointId, DateTime from, DateTime to, CancellationToken ct)
    {
        var failed = await db.Set<WebhookDelivery>().AsNoTracking()
            .Where(d => d.EndpointId == endpointId && d.Status == WebhookDeliveryStatus.Failed && d.CreatedAt >= from && d.CreatedAt < to)
            .OrderBy(d => d.CreatedAt).Take(10_000).ToListAsync(ct);
        return await ReplayAllAsync(failed.DistinctBy(d => d.EventId).ToList(), ct);
    }

    /// <summary>Queues a <c>webhook.test</c> event for this endpoint alone, whatever it subscribes to.</summary>
    public async Task<WebhookDelivery> SendTestAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        var payload = WebhookEvents.Test(endpoint.Id, outbox.Now);
        var subscription = new WebhookSubscriptions.Subscription(endpoint.Id, endpoint.Environment, null);
        outbox.Stage(db, [subscription], payload, endpoint.Environment, null);
        var delivery = db.ChangeTracker.Entries<WebhookDelivery>().Single(e => e.State == EntityState.Added).Entity;
        await SaveAsync(ct);
        return delivery;
    }

    /// <summary>
    /// One delivery per original whose endpoint still exists. An event that already has a pending delivery to that
    /// endpoint (still retrying, or queued by an earlier replay) is not queued twice: that delivery is made due now,
    /// unless an attempt of it is in flight, and returned instead.
    /// </summary>
    private async Task<List<WebhookDelivery>> ReplayAllAsync(List<WebhookDelivery> originals, CancellationToken ct)
    {
        var endpoints = originals.Select(d => d.EndpointId).Distinct().ToList();
        var events = originals.Select(d => d.EventId).Distinct().ToList();
        var live = await db.Set<WebhookEndpoint>().Where(e => endpoints.Contains(e.Id) && e.DeletedAt == null).Select(e => e.Id).ToListAsync(ct);
        var pending = await db.Set<WebhookDelivery>()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && endpoints.Contains(d.EndpointId) && events.Contains(d.EventId))
            .ToListAsync(ct);
        var now = outbox.Now;
        var replays = new List<WebhookDelivery>();
        foreach (var original in originals.Where(d => live.Contains(d.EndpointId)))
        {
            if (pending.FirstOrDefault(d => d.EndpointId == original.EndpointId && d.EventId == original.EventId) is { } queued)
            {
                if (queued.NextAttemptAt > now && !(queued.LeaseUntil > now))
                {
                    queued.NextAttemptAt = now;
                }

                replays.Add(queued);
                continue;
            }

            var replay = new WebhookDelivery
            {
                EndpointId = original.EndpointId, EventId = original.EventId, EventType = original.EventType, Status = WebhookDeliveryStatus.Pending,
                CreatedAt = now, NextAttemptAt = now,
            };
            db.Add(replay);
            replays.Add(replay);
        }

        await SaveAsync(ct);
        return replays;
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        using (await gate.EnterAsync(db, ct))
        {
            await db.SaveChangesAsync(ct);
        }

        signal.Notify();
    }
}
