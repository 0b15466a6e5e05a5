using PenguinMails.Alerts;
using PenguinMails.Data;

namespace PenguinMails.Webhooks;

/// <summary>
/// Tells the tenant's admins, once per run of failures, that an endpoint was disabled after failing for days: its URL,
/// its latest errors and a link to the webhooks page. Through the installation's own mail (docs/decisions/0009).
/// </summary>
public sealed class WebhookDisabledAlert(AppDb db, AlertOutbox outbox, AlertRecipients recipients, Portal.PublicBaseUrl baseUrl)
{
    public const string Kind = "webhook_disabled";
    public const string PagePath = "/dashboard/settings/integrations/esp/webhooks";

    public async Task SendAsync(WebhookEndpoint endpoint, DateTime now, CancellationToken ct)
    {
        var tenant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == endpoint.TenantId, ct);
        var errors = await db.Set<WebhookDelivery>().AsNoTracking()
            .Where(d => d.EndpointId == endpoint.Id && d.LastAttemptAt != null && d.Status != WebhookDeliveryStatus.Succeeded)
            .OrderByDescending(d => d.LastAttemptAt).Take(5)
            .Select(d => new { d.LastAttemptAt, d.EventType, d.StatusCode, d.Error }).ToListAsync(ct);
        var since = endpoint.FailingSince ?? now;
        var paragraphs = new List<string>
        {
            $"The webhook endpoint {endpoint.Url} was disabled: every delivery to it failed since {AlertMessages.Time(since)}. " +
            "Events are no longer sent to it; those that failed can be replayed once it works again.",
        };
        paragraphs.AddRange(errors.Select(e =>
            $"{AlertMessages.Time(e.LastAttemptAt!.Value)} — {e.EventType}: {(e.StatusCode is { } s ? $"HTTP {s}. " : "")}{e.Error}".Trim()));
        var mail = AlertMessages.Compose($"Webhook endpoint disabled: {endpoint.Url}", tenant, paragraphs,
            "Check and re-enable the endpoint", $"{baseUrl.Value}{PagePath}");
        await outbox.SendOnceAsync(outbox.Occurrence(Kind, endpoint.Id.ToString(), since, now), await recipients.AdminsAsync(ct), mail, ct);
    }
}
