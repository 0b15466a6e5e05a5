using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Portal;

namespace PenguinMails.Alerts;

/// <summary>
/// Keys about to expire (api-access-routes.md "Edge Cases &amp; Error Handling"): 7 days before, then again on the day of
/// expiry (UTC) if the key was neither rotated nor revoked — to its creator (a portal user who is still a member) and the
/// tenant's admins, with the key's name, identifier, expiry and a link to rotate it in the portal. The occurrence is the
/// expiry time itself, so a key whose expiry is changed is warned about its new date. A key that lived 7 days or less
/// gets only the day-of notice: it was made short-lived on purpose.
/// </summary>
public sealed class KeyExpiryAlerts(AppDb db, AlertOutbox outbox, AlertRecipients recipients, PublicBaseUrl baseUrl,
    Webhooks.WebhookOutbox webhooks) : IAlertCheck
{
    public static readonly TimeSpan Notice = TimeSpan.FromDays(7);

    public Task<List<Guid>> TenantsToCheckAsync(DateTime now, CancellationToken ct) =>
        Expiring(db.ApiKeys.IgnoreQueryFilters(), now).Select(k => k.TenantId).Distinct().ToListAsync(ct);

    public async Task RunAsync(AlertRun run, CancellationToken ct)
    {
        var now = run.Now;
        var keys = await Expiring(db.ApiKeys, now).AsNoTracking().ToListAsync(ct);
        foreach (var key in keys)
        {
            var expires = key.ExpiresAt!.Value;
            var kind = now >= expires.Date ? AlertKinds.KeyExpiresToday
                : key.CreatedAt < expires - Notice ? AlertKinds.KeyExpiring
                : null;
            if (kind is null || await outbox.WasSentAsync(kind, key.Id.ToString(), expires, ct))
            {
                continue;
            }

            var to = await recipients.ForKeyAsync(key.CreatedBy, ct);
            var environment = key.Environment == KeyEnvironment.Test ? Webhooks.WebhookEnvironment.Test : Webhooks.WebhookEnvironment.Live;
            await outbox.SendOnceAsync(outbox.Occurrence(kind, key.Id.ToString(), expires, expires), to, Compose(run, key, kind, now), ct,
                (tenantDb, token) => webhooks.StageAsync(tenantDb, Webhooks.WebhookEvents.Key(Webhooks.WebhookEventTypes.ApiKeyExpiring, key, now), environment, null, token));
        }
    }

    /// <summary>
    /// Keys in use that expire between the start of today (UTC) and <see cref="Notice"/> from now; never the docs page's
    /// one-hour test keys, whose expiry is their purpose.
    /// </summary>
    private static IQueryable<ApiKey> Expiring(IQueryable<ApiKey> keys, DateTime now)
    {
        var earliest = now.Date;
        var latest = now + Notice;
        return keys.Where(k => !k.IsDocsKey && k.RevokedAt == null && k.RotatedAt == null && k.ExpiresAt != null && k.ExpiresAt >= earliest && k.ExpiresAt <= latest);
    }

    private AlertMail Compose(AlertRun run, ApiKey key, string kind, DateTime now)
    {
        var expires = key.ExpiresAt!.Value;
        var when = AlertMessages.Time(expires);
        var days = (int)Math.Ceiling((expires - now).TotalDays);
        var (subject, lead) = kind == AlertKinds.KeyExpiring
            ? ($"API key “{key.Name}” expires in {days} days",
                $"The API key “{key.Name}” expires on {when}, in {days} days. Requests made with it will then be refused with api_key_expired.")
            : expires > now
                ? ($"API key “{key.Name}” expires today",
                    $"The API key “{key.Name}” expires today at {when}. Requests made with it will then be refused with api_key_expired.")
                : ($"API key “{key.Name}” expired today",
                    $"The API key “{key.Name}” expired today at {when}. Requests made with it are refused with api_key_expired.");
        var paragraphs = new[]
        {
            lead,
            $"Key: {key.Name} — identifier {key.KeyId} ({key.Environment.ToString().ToLowerInvariant()}), expires {when}.",
            "Rotating it gives you a new key with the same permissions and allowed IPs, valid for a full term again; the old key keeps working for 24 hours so you can switch over.",
        };
        return AlertMessages.Compose(subject, run.Tenant, paragraphs, "Rotate the key in the portal",
            $"{baseUrl.Value}{PortalPaths.Keys}/{key.Id}/rotate");
    }
}
