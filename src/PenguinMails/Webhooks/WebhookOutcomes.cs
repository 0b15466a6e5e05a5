using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Webhooks;

/// <summary>
/// Records an attempt on its delivery while this node still holds the lease: succeeded, retried later
/// (<see cref="WebhookRetries"/>), or failed. <c>410 Gone</c> disables the endpoint at once; so does failing without a
/// success for <see cref="WebhookOptions.DisableAfterDays"/>, which also tells the tenant's admins
/// (<see cref="WebhookDisabledAlert"/>). Runs in the delivery's tenant scope.
/// </summary>
public sealed class WebhookOutcomes(AppDb db, WriteGate gate, WebhookSubscriptions subscriptions, WebhookDisabledAlert alert,
    TimeProvider time, IOptions<WebhookOptions> options)
{
    public async Task RecordAsync(WebhookClaims.Claimed claim, WebhookEndpoint endpoint, WebhookAttempt attempt, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        bool disabledForFailing;
        using (await gate.EnterAsync(db, ct))
        {
            var delivery = await db.Set<WebhookDelivery>().FirstOrDefaultAsync(d => d.Id == claim.Id && d.LeaseToken == claim.Token, ct);
            if (delivery is null)
            {
                return; // the lease ran out and another node took it over: its attempt is the one recorded
            }

            db.Attach(endpoint);
            delivery.Attempts++;
            (delivery.LastAttemptAt, delivery.StatusCode, delivery.LatencyMs, delivery.ResponseExcerpt, delivery.Error) =
                (now, attempt.StatusCode, attempt.LatencyMs, attempt.Excerpt, attempt.Error ?? Describe(attempt.StatusCode));
            (delivery.LeaseToken, delivery.LeaseUntil) = (null, null);
            disabledForFailing = attempt.Succeeded ? Succeeded(delivery, endpoint, now) : Failed(delivery, endpoint, attempt, now);
            await db.SaveChangesAsync(ct);
        }

        if (disabledForFailing)
        {
            await alert.SendAsync(endpoint, now, ct);
        }
    }

    /// <summary>A delivery that cannot be attempted (endpoint disabled or deleted meanwhile) fails without a request.</summary>
    public async Task AbandonAsync(WebhookClaims.Claimed claim, string reason, CancellationToken ct)
    {
        using (await gate.EnterAsync(db, ct))
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.Set<WebhookDelivery>().Where(d => d.Id == claim.Id && d.LeaseToken == claim.Token).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed).SetProperty(d => d.Error, reason).SetProperty(d => d.CompletedAt, now)
                .SetProperty(d => d.LeaseToken, (Guid?)null).SetProperty(d => d.LeaseUntil, (DateTime?)null), ct);
        }
    }

    private static bool Succeeded(WebhookDelivery delivery, WebhookEndpoint endpoint, DateTime now)
    {
        (delivery.Status, delivery.CompletedAt, delivery.Error) = (WebhookDeliveryStatus.Succeeded, now, null);
        if (endpoint.FailingSince is not null)
        {
            endpoint.FailingSince = null;
        }

        return false;
    }

    private bool Failed(WebhookDelivery delivery, WebhookEndpoint endpoint, WebhookAttempt attempt, DateTime now)
    {
        endpoint.FailingSince ??= now;
        var next = attempt.StatusCode == 410 ? null : WebhookRetries.After(delivery.Attempts, attempt.RetryAfter);
        if (next is { } wait)
        {
            delivery.NextAttemptAt = now + wait;
        }
        else
        {
            (delivery.Status, delivery.CompletedAt) = (WebhookDeliveryStatus.Failed, now);
        }

        if (!endpoint.Enabled)
        {
            return false;
        }

        if (attempt.StatusCode == 410)
        {
            Disable(endpoint, "The endpoint answered 410 Gone.", now);
            return false;
        }

        if (now - endpoint.FailingSince.Value >= TimeSpan.FromDays(options.Value.DisableAfterDays))
        {
            Disable(endpoint, $"Every delivery failed for {options.Value.DisableAfterDays:0.#} days.", now);
            return true;
        }

        return false;
    }

    private void Disable(WebhookEndpoint endpoint, string reason, DateTime now)
    {
        (endpoint.Enabled, endpoint.DisabledReason, endpoint.UpdatedAt) = (false, reason, now);
        subscriptions.Evict(endpoint.TenantId);
    }

    private static string? Describe(int? status) => status switch
    {
        null or (>= 200 and < 300) => null,
        >= 300 and < 400 => $"The endpoint answered {status}; redirects are not followed.",
        _ => $"The endpoint answered {status}.",
    };
}
