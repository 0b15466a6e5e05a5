using System.Text.Json;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;

namespace PenguinMails.Campaigns;

/// <summary>
/// One step of a campaign's fan-out: the next <see cref="CampaignOptions.BatchSize"/> audience contacts after the
/// cursor (keyset by contact id), suppressed ones skipped, the rest rendered and queued — the messages, their
/// recipients and <c>queued</c> events (set-based, <see cref="QueuedMessages"/>) and the advanced cursor in ONE transaction, written only while this node
/// holds the campaign's lease and the campaign is still sending. A crash loses at most an uncommitted batch, which
/// the next run redoes from the committed cursor; the unique (campaign_id, contact_id) index is the last guard. A campaign
/// whose template is gone is cancelled instead, with why (<see cref="CampaignTemplates"/>).
/// </summary>
public sealed class CampaignFanOut(IServiceScopeFactory scopes, WriteGate gate, DispatchSignal dispatch, TimeProvider time,
    IOptions<PenguinMailsOptions> options)
{
    /// <summary>True while there is more to do; false when the fan-out is complete or this node may not go on.</summary>
    public async Task<bool> RunBatchAsync(Guid tenantId, Guid campaignId, string node, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is not { Status: CampaignStatus.Sending, FanOutComplete: false } || campaign.LeaseOwner != node)
        {
            return false;
        }

        if (await CampaignContent.LoadAsync(db, campaign, ct) is not { } content)
        {
            await CancelForDeletedTemplateAsync(db, scope.ServiceProvider.GetRequiredService<Webhooks.WebhookOutbox>(), campaign, node, ct);
            return false;
        }

        var batchSize = Math.Max(1, options.Value.Campaigns.BatchSize);
        var contacts = await CampaignAudience.NextAsync(db, campaign, batchSize, ct);
        var suppressed = await scope.ServiceProvider.GetRequiredService<SuppressionList>().SuppressedAmongAsync(contacts.Select(c => c.Email), ct);
        // A live campaign whose sender's domain has failed since it started queues its mail held, as the domain's
        // failure held what was queued then (Domains/DomainHolds): released when the domain verifies again.
        var held = !campaign.IsTest && await scope.ServiceProvider.GetRequiredService<Domains.SenderDomains>().CheckAsync(campaign.From, "from", ct) is not null;
        var now = time.GetUtcNow().UtcDateTime;
        var messages = new List<EmailMessage>(contacts.Count);
        foreach (var contact in contacts)
        {
            if (!suppressed.Contains(contact.Email) && content.RenderFor(contact) is { } rendered)
            {
                messages.Add(Message(campaign, contact, rendered, now, held));
            }
        }

        var complete = contacts.Count < batchSize;
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var leaseUntil = now.AddSeconds(options.Value.Campaigns.LeaseSeconds);
            var cursor = contacts.Count > 0 ? contacts[^1].Id : campaign.FanOutCursor;
            var skipped = contacts.Count - messages.Count;
            var owned = await db.Campaigns
                .Where(c => c.Id == campaignId && c.Status == CampaignStatus.Sending && c.LeaseOwner == node && c.FanOutCursor == campaign.FanOutCursor)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.FanOutCursor, cursor)
                    .SetProperty(c => c.FanOutComplete, complete)
                    .SetProperty(c => c.RecipientCount, c => c.RecipientCount + messages.Count)
                    .SetProperty(c => c.SkippedCount, c => c.SkippedCount + skipped)
                    .SetProperty(c => c.LeaseUntil, leaseUntil), ct);
            if (owned == 0)
            {
                return false; // paused, cancelled, or the lease went to another node: nothing of this batch is written
            }

            var events = messages.Select(m => new EmailEvent { MessageId = m.Id, Type = EmailEventType.Queued, At = now, Detail = "campaign" }).ToList();
            await QueuedMessages.WriteAsync(db, scope.ServiceProvider.GetRequiredService<Webhooks.WebhookOutbox>(), messages, events, ct);
            await tx.CommitAsync(ct);
        }

        if (messages.Count > 0)
        {
            dispatch.Notify();
        }

        return !complete;
    }

    /// <summary>
    /// The campaign's template was deleted mid-fan-out (<see cref="CampaignTemplates"/>): cancelled with why, as a cancel
    /// would (its queued messages too), instead of skipping the rest of the audience and ending "sent".
    /// </summary>
    private async Task CancelForDeletedTemplateAsync(AppDb db, Webhooks.WebhookOutbox webhooks, Campaign campaign, string node, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var reason = CampaignTemplates.Reason(campaign.TemplateSlug!);
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var cancelled = await db.Campaigns.Where(c => c.Id == campaign.Id && c.Status == CampaignStatus.Sending && c.LeaseOwner == node)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, CampaignStatus.Cancelled).SetProperty(c => c.CancelledAt, now).SetProperty(c => c.UpdatedAt, now).SetProperty(c => c.StatusReason, reason)
                    .SetProperty(c => c.LeaseOwner, (string?)null).SetProperty(c => c.LeaseUntil, (DateTime?)null), ct);
            if (cancelled == 1)
            {
                await CampaignQueue.ApplyAsync(db, campaign.Id, CampaignStatus.Cancelled, ct);
                await webhooks.RecordNowAsync(db, Webhooks.WebhookEvents.CampaignChanged(campaign.Id, campaign.Name, CampaignStatus.Sending,
                    CampaignStatus.Cancelled, now, reason), campaign.IsTest ? Webhooks.WebhookEnvironment.Test : Webhooks.WebhookEnvironment.Live, null, ct);
            }

            await tx.CommitAsync(ct);
        }
    }

    private EmailMessage Message(Campaign campaign, AudienceContact contact, RenderedMessage rendered, DateTime now, bool held)
    {
        var message = new EmailMessage
        {
            Status = held ? EmailStatus.Held : EmailStatus.Queued, DomainHold = held,
            CampaignId = campaign.Id, ContactId = contact.Id, IsTest = campaign.IsTest, From = campaign.From,
            Subject = rendered.Subject, HtmlBody = rendered.Html, TextBody = rendered.Text, TemplateId = campaign.TemplateSlug,
            HeadersJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["X-PenguinMails-Campaign"] = CampaignIds.Format(campaign.Id) }),
            TrackOpens = campaign.TrackOpens, TrackClicks = campaign.TrackClicks, CreatedAt = now, NextAttemptAt = now,
            DeliverBy = now.AddHours(options.Value.Delivery.DeadlineHours),
        };
        message.Recipients.Add(new EmailRecipient { MessageId = message.Id, Kind = RecipientKind.To, Address = contact.Email, Email = contact.Email.ToLowerInvariant() });
        return message;
    }
}
