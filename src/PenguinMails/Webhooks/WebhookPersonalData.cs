using System.Text.Json;
using PenguinMails.Data;

namespace PenguinMails.Webhooks;

/// <summary>
/// A contact's share of the webhook data, for its GDPR export and erasure (Contacts/ContactPersonalData): the events
/// whose payload holds its address (<see cref="WebhookEvent.Email"/>), their deliveries, and log lines whose response
/// excerpt quotes the address. Erasure deletes them all, pending deliveries included: nothing more is sent about it.
/// </summary>
public static class WebhookPersonalData
{
    public static async Task<List<WebhookEventExport>> ExportAsync(AppDb db, string normalizedEmail, CancellationToken ct)
    {
        var events = await db.WebhookEvents.AsNoTracking().Where(e => e.Email == normalizedEmail).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        var ids = events.Select(e => e.Id).ToList();
        var deliveries = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => ids.Contains(d.EventId) || (d.ResponseExcerpt != null && d.ResponseExcerpt.Contains(normalizedEmail)))
            .OrderBy(d => d.CreatedAt).ToListAsync(ct);
        return events.Select(e => new WebhookEventExport(e.WebhookId, e.Type, e.CreatedAt, JsonDocument.Parse(e.Payload).RootElement.Clone(),
                deliveries.Where(d => d.EventId == e.Id).Select(WebhooksApi.DeliveryResponse).ToList()))
            .Concat(deliveries.Where(d => !ids.Contains(d.EventId)).GroupBy(d => d.EventId).Select(g =>
                new WebhookEventExport(WebhookIds.Format(g.Key), g.First().EventType, g.First().CreatedAt, null, g.Select(WebhooksApi.DeliveryResponse).ToList())))
            .ToList();
    }

    /// <summary>Returns the events and deliveries deleted.</summary>
    public static async Task<(int Events, int Deliveries)> EraseAsync(AppDb db, string normalizedEmail, CancellationToken ct)
    {
        var ids = await db.WebhookEvents.Where(e => e.Email == normalizedEmail).Select(e => e.Id).ToListAsync(ct);
        var deliveries = await db.WebhookDeliveries
            .Where(d => ids.Contains(d.EventId) || (d.ResponseExcerpt != null && d.ResponseExcerpt.Contains(normalizedEmail)))
            .ExecuteDeleteAsync(ct);
        var events = await db.WebhookEvents.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
        return (events, deliveries);
    }
}

/// <summary>One webhook event about the contact: its body as sent (null when only a log line quoted the address) and its deliveries.</summary>
public sealed record WebhookEventExport(string EventId, string Type, DateTime CreatedAt, JsonElement? Payload, List<WebhookDeliveryResponse> Deliveries);
