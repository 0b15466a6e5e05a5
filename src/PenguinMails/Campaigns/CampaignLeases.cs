using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Emails;

namespace PenguinMails.Campaigns;

/// <summary>
/// The worker's cross-tenant steps, each a conditional update so that nodes racing for the same campaign cannot
/// both win: starting due scheduled campaigns, taking the fan-out lease, and concluding finished campaigns.
/// These queries see every tenant on purpose (IgnoreQueryFilters); each campaign is then handled in its tenant.
/// </summary>
public sealed class CampaignLeases(IServiceScopeFactory scopes, NodeName node, WriteGate gate, TimeProvider time, IOptions<PenguinMailsOptions> options)
{
    private static readonly EmailStatus[] InQueue = [EmailStatus.Queued, EmailStatus.Deferred, EmailStatus.Sending, EmailStatus.Held];

    public string Node => node.Value;

    /// <summary>
    /// Due scheduled campaigns start sending; those whose template is gone are cancelled instead, with why
    /// (<see cref="CampaignTemplates"/>): started, they would be fanned out to nobody and reported sent.
    /// </summary>
    public async Task StartDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        IQueryable<Campaign> Due(AppDb db) => db.Campaigns.Where(c => c.Status == CampaignStatus.Scheduled && c.ScheduledAt <= now);
        await TransitionEachAsync(db => Due(db).WithTemplateGone(db), CampaignStatus.Cancelled,
            (rows, reason) => rows.ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Cancelled).SetProperty(c => c.UpdatedAt, now)
                .SetProperty(c => c.CancelledAt, now).SetProperty(c => c.StatusReason, reason), ct), ct, CampaignTemplates.Reason);
        await TransitionEachAsync(Due, CampaignStatus.Sending,
            (rows, _) => rows.ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Sending).SetProperty(c => c.StartedAt, now).SetProperty(c => c.UpdatedAt, now), ct), ct);
    }

    /// <summary>Campaigns this node now holds the fan-out lease of: free ones, expired ones, and its own.</summary>
    public async Task<List<(Guid TenantId, Guid CampaignId)>> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var until = now.AddSeconds(options.Value.Campaigns.LeaseSeconds);
        var candidates = await Claimable(db, now).OrderBy(c => c.StartedAt).Take(20).Select(c => new { c.TenantId, c.Id }).ToListAsync(ct);
        var claimed = new List<(Guid, Guid)>();
        foreach (var candidate in candidates)
        {
            using var turn = await gate.EnterAsync(db, ct);
            var taken = await Claimable(db, now).Where(c => c.Id == candidate.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseOwner, Node).SetProperty(c => c.LeaseUntil, until), ct);
            if (taken == 1)
            {
                claimed.Add((candidate.TenantId, candidate.Id));
            }
        }

        return claimed;
    }

    /// <summary>Sending campaigns with a complete fan-out and nothing of theirs left in the queue become sent.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await TransitionEachAsync(db => db.Campaigns.Where(c => c.Status == CampaignStatus.Sending && c.FanOutComplete
                && !db.EmailMessages.Any(m => m.CampaignId == c.Id && InQueue.Contains(m.Status))), CampaignStatus.Sent,
            (rows, _) => rows.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CampaignStatus.Sent)
                .SetProperty(c => c.SentAt, now).SetProperty(c => c.UpdatedAt, now)
                .SetProperty(c => c.LeaseOwner, (string?)null)
                .SetProperty(c => c.LeaseUntil, (DateTime?)null), ct), ct);
    }

    /// <summary>
    /// Finds the campaigns of every tenant that <paramref name="which"/> selects, then moves each in its own tenant and
    /// transaction by a conditional update (a node racing for the same one changes nothing), with its
    /// campaign.status_changed webhook event in the same transaction. <paramref name="reasonFor"/> makes the
    /// <see cref="Campaign.StatusReason"/> from the campaign's template slug, given to the update and to the event.
    /// </summary>
    private async Task TransitionEachAsync(Func<AppDb, IQueryable<Campaign>> which, CampaignStatus to,
        Func<IQueryable<Campaign>, string?, Task<int>> update, CancellationToken ct, Func<string, string>? reasonFor = null)
    {
        List<(Guid TenantId, Guid Id, string Name, CampaignStatus From, bool IsTest, string? Reason)> candidates;
        await using (var root = scopes.CreateAsyncScope())
        {
            var all = root.ServiceProvider.GetRequiredService<AppDb>();
            candidates = (await which(all).IgnoreQueryFilters().Select(c => new { c.TenantId, c.Id, c.Name, c.Status, c.IsTest, c.TemplateSlug }).ToListAsync(ct))
                .Select(c => (c.TenantId, c.Id, c.Name, c.Status, c.IsTest, c.TemplateSlug is { } slug ? reasonFor?.Invoke(slug) : null)).ToList();
        }

        foreach (var campaign in candidates)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<Tenancy.TenantContext>().Enter(campaign.TenantId);
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var webhooks = scope.ServiceProvider.GetRequiredService<Webhooks.WebhookOutbox>();
            using var turn = await gate.EnterAsync(db, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await update(which(db).Where(c => c.Id == campaign.Id), campaign.Reason) == 1)
            {
                await webhooks.RecordNowAsync(db, Webhooks.WebhookEvents.CampaignChanged(campaign.Id, campaign.Name, campaign.From, to, webhooks.Now, campaign.Reason),
                    campaign.IsTest ? Webhooks.WebhookEnvironment.Test : Webhooks.WebhookEnvironment.Live, null, ct);
            }

            await tx.CommitAsync(ct);
        }
    }

    private IQueryable<Campaign> Claimable(AppDb db, DateTime now) =>
        db.Campaigns.IgnoreQueryFilters().Where(c => c.Status == CampaignStatus.Sending && !c.FanOutComplete
            && (c.LeaseOwner == null || c.LeaseUntil < now || c.LeaseOwner == Node));
}
