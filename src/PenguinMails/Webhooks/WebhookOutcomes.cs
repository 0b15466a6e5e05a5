using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Webhooks;

/// <summary>
/// Records an attempt on its delivery while this node still holds the lease: succeeded, retried later
/// (<see cref="WebhookRetries"/>), or failed. <c>410 Gone</c> disables the endpoint at once; so does failing without a
/// success for <see cref="WebhookOptions.DisableAfterDays"/>, which also tells the tenant's admins
/// (<see cref="WebhookDisabledAlert"/>). Runs in the delivery's tenant scope.
/// Every write is conditional and set-based: a delivery that is no longer there under this node's lease — another node
/// took it over, or it was deleted meanwhile (a contact's erasure, retention) — matches no row, and its outcome is dropped
/// without a word; an endpoint deleted or disabled meanwhile is not disabled again. Nothing here throws for a row that
/// vanished, so one such outcome never costs the others of <see cref="WebhookOutcomeWriter"/>'s group.
/// </summary>
public sealed class WebhookOutcomes(AppDb db, WriteGate gate, WebhookSubscriptions subscriptions, WebhookDisabledAlert alert,
    TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>
    /// One conditional UPDATE of the delivery (<c>WHERE id = … AND lease_token = …</c>) and, when it matched, the endpoint's
    /// failing streak, in one transaction. <paramref name="endpoint"/> is the dispatcher's copy, shared by the deliveries of
    /// its claim: its <see cref="WebhookEndpoint.FailingSince"/> is kept current, so that the writer sends their successes
    /// here while the streak lasts.
    /// </summary>
    public async Task RecordAsync(WebhookClaims.Claimed claim, WebhookEndpoint endpoint, WebhookAttempt attempt, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var retryAt = attempt.Succeeded || attempt.StatusCode == 410 ? null : now + WebhookRetries.After(claim.Attempts + 1, attempt.RetryAfter);
        var status = attempt.Succeeded ? WebhookDeliveryStatus.Succeeded : retryAt is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
        var error = attempt.Succeeded ? null : attempt.Error ?? Describe(attempt.StatusCode);
        bool disabled, disabledForFailing;
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var recorded = await db.Set<WebhookDelivery>().Where(d => d.Id == claim.Id && d.LeaseToken == claim.Token).ExecuteUpdateAsync(s =>
            {
                s.SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.Status, status).SetProperty(d => d.LastAttemptAt, now)
                    .SetProperty(d => d.StatusCode, attempt.StatusCode).SetProperty(d => d.LatencyMs, attempt.LatencyMs)
                    .SetProperty(d => d.ResponseExcerpt, attempt.Excerpt).SetProperty(d => d.Error, error)
                    .SetProperty(d => d.LeaseToken, (Guid?)null).SetProperty(d => d.LeaseUntil, (DateTime?)null);
                if (retryAt is { } at)
                {
                    s.SetProperty(d => d.NextAttemptAt, at);
                }
                else
                {
                    s.SetProperty(d => d.CompletedAt, now);
                }
            }, ct);
            // None matched: the lease passed to another node (its attempt is the one recorded), or the delivery was deleted.
            (disabled, disabledForFailing) = recorded == 0 ? (false, false)
                : attempt.Succeeded ? await SucceededAsync(endpoint, ct) : await FailedAsync(endpoint, attempt, now, ct);
            await tx.CommitAsync(ct);
        }

        if (disabled)
        {
            subscriptions.Evict(endpoint.TenantId);
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

    private IQueryable<WebhookEndpoint> Endpoint(WebhookEndpoint endpoint) => db.Set<WebhookEndpoint>().Where(e => e.Id == endpoint.Id);

    /// <summary>A success ends the endpoint's failing streak.</summary>
    private async Task<(bool Disabled, bool ForFailing)> SucceededAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        if (endpoint.FailingSince is not null)
        {
            endpoint.FailingSince = null;
            await Endpoint(endpoint).ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, (DateTime?)null), ct);
        }

        return (false, false);
    }

    /// <summary>A failure starts the streak (unless one is already recorded) and may disable the endpoint.</summary>
    private async Task<(bool Disabled, bool ForFailing)> FailedAsync(WebhookEndpoint endpoint, WebhookAttempt attempt, DateTime now, CancellationToken ct)
    {
        if (endpoint.FailingSince is null)
        {
            endpoint.FailingSince = now;
            await Endpoint(endpoint).Where(e => e.FailingSince == null).ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, now), ct);
        }

        if (!endpoint.Enabled)
        {
            return (false, false);
        }

        if (attempt.StatusCode == 410)
        {
            return (await DisableAsync(endpoint, "The endpoint answered 410 Gone.", now, ct), false);
        }

        if (now - endpoint.FailingSince.Value >= TimeSpan.FromDays(options.Value.DisableAfterDays))
        {
            var disabled = await DisableAsync(endpoint, $"Every delivery failed for {options.Value.DisableAfterDays:0.#} days.", now, ct);
            return (disabled, disabled);
        }

        return (false, false);
    }

    /// <summary>Turns the endpoint off unless it was disabled or deleted meanwhile; true when this call did.</summary>
    private async Task<bool> DisableAsync(WebhookEndpoint endpoint, string reason, DateTime now, CancellationToken ct)
    {
        (endpoint.Enabled, endpoint.DisabledReason, endpoint.UpdatedAt) = (false, reason, now);
        return await Endpoint(endpoint).Where(e => e.Enabled && e.DeletedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(e => e.Enabled, false).SetProperty(e => e.DisabledReason, reason).SetProperty(e => e.UpdatedAt, now), ct) > 0;
    }

    private static string? Describe(int? status) => status switch
    {
        null or (>= 200 and < 300) => null,
        >= 300 and < 400 => $"The endpoint answered {status}; redirects are not followed.",
        _ => $"The endpoint answered {status}.",
    };
}
