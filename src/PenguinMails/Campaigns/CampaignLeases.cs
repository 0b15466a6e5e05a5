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

    public async Task StartDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = time.GetUtcNow().UtcDateTime;
        using var turn = await gate.EnterAsync(db, ct);
        await db.Campaigns.IgnoreQueryFilters()
            .Where(c => c.Status == CampaignStatus.Scheduled && c.ScheduledAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Sending).SetProperty(c => c.StartedAt, now), ct);
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = time.GetUtcNow().UtcDateTime;
        using var turn = await gate.EnterAsync(db, ct);
        await db.Campaigns.IgnoreQueryFilters()
            .Where(c => c.Status == CampaignStatus.Sending && c.FanOutComplete
                && !db.EmailMessages.IgnoreQueryFilters().Any(m => m.CampaignId == c.Id && InQueue.Contains(m.Status)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CampaignStatus.Sent)
                .SetProperty(c => c.SentAt, now)
                .SetProperty(c => c.LeaseOwner, (string?)null)
                .SetProperty(c => c.LeaseUntil, (DateTime?)null), ct);
    }

    private IQueryable<Campaign> Claimable(AppDb db, DateTime now) =>
        db.Campaigns.IgnoreQueryFilters().Where(c => c.Status == CampaignStatus.Sending && !c.FanOutComplete
            && (c.LeaseOwner == null || c.LeaseUntil < now || c.LeaseOwner == Node));
}
