using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Http;
using PenguinMails.Templates;

namespace PenguinMails.Campaigns;

/// <summary>The status changes of <see cref="CampaignActions"/>, each in one transaction guarded by the current status.</summary>
public sealed class CampaignTransitions(AppDb db, WriteGate gate, TimeProvider time, CampaignSignal fanOut, DispatchSignal dispatch,
    IOptions<PenguinMailsOptions> options, Domains.SenderDomains senders, Webhooks.WebhookOutbox webhooks)
{
    private readonly DateTime _now = time.GetUtcNow().UtcDateTime;

    public async Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> SendNowAsync(string id, bool isTest, HttpContext http, CancellationToken ct)
    {
        if (await CampaignsApi.FindAsync(db, id, ct) is not { } campaign)
        {
            return ApiError.NotFound("Campaign");
        }

        if (await UnsendableAsync(campaign, isTest, ct) is { } error)
        {
            return error;
        }

        var from = CampaignStateMachine.From(CampaignStateMachine.Send);
        int changed;
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            changed = await db.Campaigns.Where(c => c.Id == campaign.Id && from.Contains(c.Status)).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CampaignStatus.Sending).SetProperty(c => c.StartedAt, _now).SetProperty(c => c.UpdatedAt, _now)
                .SetProperty(c => c.ScheduledAt, (DateTime?)null).SetProperty(c => c.IsTest, isTest), ct);
            await RecordAsync(changed, campaign.Id, campaign.Name, campaign.Status, CampaignStatus.Sending, isTest, ct);
            await tx.CommitAsync(ct);
        }

        fanOut.Notify();
        return await AnswerAsync(campaign.Id, changed, CampaignStateMachine.Send, http, ct);
    }

    public async Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> ScheduleAsync(
        string id, DateTimeOffset when, bool isTest, HttpContext http, CancellationToken ct)
    {
        if (await CampaignsApi.FindAsync(db, id, ct) is not { } campaign)
        {
            return ApiError.NotFound("Campaign");
        }

        var at = when.UtcDateTime;
        var maxDays = options.Value.Emails.MaxScheduleDays;
        if (at <= _now || at > _now.AddDays(maxDays))
        {
            return ApiError.Validation("scheduled_at", $"scheduled_at must be in the future and at most {maxDays} days ahead.");
        }

        if (await UnsendableAsync(campaign, isTest, ct) is { } error)
        {
            return error;
        }

        var from = CampaignStateMachine.From(CampaignStateMachine.Schedule);
        int changed;
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            changed = await db.Campaigns.Where(c => c.Id == campaign.Id && from.Contains(c.Status)).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CampaignStatus.Scheduled).SetProperty(c => c.ScheduledAt, at).SetProperty(c => c.UpdatedAt, _now).SetProperty(c => c.IsTest, isTest), ct);
            await RecordAsync(changed, campaign.Id, campaign.Name, campaign.Status, CampaignStatus.Scheduled, isTest, ct);
            await tx.CommitAsync(ct);
        }

        return await AnswerAsync(campaign.Id, changed, CampaignStateMachine.Schedule, http, ct);
    }

    /// <summary>
    /// Pause, resume or cancel, with the campaign's queued messages held, released or cancelled in the same transaction.
    /// Resuming a campaign whose fan-out still reads a template that is gone answers 422 TEMPLATE_NOT_FOUND, so that it
    /// stays paused until the template is made again (same slug) or it is cancelled.
    /// </summary>
    public async Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> ChangeAsync(
        string id, string action, CampaignStatus to, HttpContext http, CancellationToken ct)
    {
        if (CampaignIds.Parse(id) is not { } campaignId
            || await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
                .Select(c => new { c.Name, c.Status, c.IsTest, c.TemplateSlug, c.FanOutComplete }).FirstOrDefaultAsync(ct) is not { } before)
        {
            return ApiError.NotFound("Campaign");
        }

        if (action == CampaignStateMachine.Resume && CampaignStateMachine.Permits(before.Status, action) && !before.FanOutComplete
            && before.TemplateSlug is { } slug && await CampaignTemplates.IsGoneAsync(db, slug, ct))
        {
            return new TemplateRenderResult.NotFound(slug).ToError();
        }

        var from = CampaignStateMachine.From(action);
        int changed;
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            changed = await db.Campaigns.Where(c => c.Id == campaignId && from.Contains(c.Status)).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, to).SetProperty(c => c.UpdatedAt, _now)
                .SetProperty(c => c.CancelledAt, c => to == CampaignStatus.Cancelled ? _now : c.CancelledAt)
                .SetProperty(c => c.LeaseOwner, (string?)null)
                .SetProperty(c => c.LeaseUntil, (DateTime?)null), ct);
            if (changed == 1)
            {
                await CampaignQueue.ApplyAsync(db, campaignId, to, ct);
                await RecordAsync(changed, campaignId, before.Name, before.Status, to, before.IsTest, ct);
            }

            await tx.CommitAsync(ct);
        }

        if (changed == 1 && to == CampaignStatus.Sending)
        {
            fanOut.Notify();
            dispatch.Notify();
        }

        return await AnswerAsync(campaignId, changed, action, http, ct);
    }

    /// <summary>campaign.status_changed, in the transaction of the change, when the change was made.</summary>
    private Task RecordAsync(int changed, Guid id, string name, CampaignStatus from, CampaignStatus to, bool isTest, CancellationToken ct) =>
        changed == 1 && from != to
            ? webhooks.RecordNowAsync(db, Webhooks.WebhookEvents.CampaignChanged(id, name, from, to, _now),
                isTest ? Webhooks.WebhookEnvironment.Test : Webhooks.WebhookEnvironment.Live, null, ct)
            : Task.CompletedTask;

    /// <summary>
    /// A campaign whose template was deleted since it was saved cannot be sent; with a live key, nor one whose sender is
    /// not at a verified domain of the tenant (the sender rule, Domains/SenderDomains).
    /// </summary>
    private async Task<ApiError?> UnsendableAsync(Campaign campaign, bool isTest, CancellationToken ct) =>
        campaign.TemplateSlug is { } slug && await CampaignTemplates.IsGoneAsync(db, slug, ct)
            ? new TemplateRenderResult.NotFound(slug).ToError()
            : isTest ? null : await senders.CheckAsync(campaign.From, "from", ct);

    private async Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> AnswerAsync(
        Guid campaignId, int changed, string action, HttpContext http, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == campaignId, ct);
        return changed == 1 ? ApiResults.Ok(http, await CampaignViews.ViewAsync(db, campaign, ct))
            : CampaignStateMachine.Refusal(campaign.Status, action);
    }
}
