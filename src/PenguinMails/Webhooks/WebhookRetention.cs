using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Webhooks;

/// <summary>
/// Every hour, deletes finished deliveries older than <see cref="WebhookOptions.DeliveryLogDays"/>, then events no delivery
/// refers to any more, then endpoints deleted that long ago, and the inbound ESP events' de-duplication receipts
/// (<c>esp_receipts</c>) as old. Every node runs it; deleting what another node already
/// deleted deletes nothing. Pending deliveries are never pruned.
/// </summary>
public sealed class WebhookRetention(IServiceScopeFactory scopes, WriteGate gate, TimeProvider time, IOptions<WebhookOptions> options,
    ILogger<WebhookRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = time.GetUtcNow() + Interval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await time.SleepUntilAsync(next, stoppingToken);
                next = time.GetUtcNow() + Interval; // counted from this run's start, so a run's length is not added to it
                try
                {
                    await PruneAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Pruning the webhook delivery log failed; the next run tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Returns the deliveries and events deleted.</summary>
    public async Task<(int Deliveries, int Events)> PruneAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.DeliveryLogDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        using var turn = await gate.EnterAsync(db, ct);
        // Across tenants on purpose: retention is the installation's.
        var deliveries = await db.Set<WebhookDelivery>().IgnoreQueryFilters()
            .Where(d => d.Status != WebhookDeliveryStatus.Pending && d.CreatedAt < before).ExecuteDeleteAsync(ct);
        var events = await db.Set<WebhookEvent>().IgnoreQueryFilters()
            .Where(e => e.CreatedAt < before && !db.Set<WebhookDelivery>().IgnoreQueryFilters().Any(d => d.EventId == e.Id)).ExecuteDeleteAsync(ct);
        await db.Set<WebhookEndpoint>().IgnoreQueryFilters().Where(e => e.DeletedAt < before).ExecuteDeleteAsync(ct);
        // The inbound ESP events' de-duplication receipts: an ESP retries for hours or days, never for the delivery log's
        // retention, so a receipt that old guards against nothing (Mailgun's token receipts go sooner, Esp/EspEventRecorder).
        var beforeUnix = new DateTimeOffset(before, TimeSpan.Zero).ToUnixTimeSeconds();
        await db.EspReceipts.IgnoreQueryFilters().Where(r => r.Key.StartsWith("event:") && r.AtUnix < beforeUnix).ExecuteDeleteAsync(ct);
        return (deliveries, events);
    }
}
