using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Webhooks;

/// <summary>
/// Takes due deliveries for this node under a lease: pending ones whose time has come and whose lease, if any, ran out
/// (their node died). Candidates are read without locking and spread over endpoints (at most the endpoint's free
/// slots each), then leased by one conditional UPDATE that stamps a token of this claim: on PostgreSQL a row another
/// node leased meanwhile no longer matches when the UPDATE re-reads it, on SQLite the write gate makes the two steps
/// one; either way each delivery is taken by one node only.
/// </summary>
public sealed class WebhookClaims(IServiceScopeFactory scopes, WriteGate gate, TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>A delivery leased to this node until <paramref name="LeaseUntil"/> (UTC) under <paramref name="Token"/>.</summary>
    public sealed record Claimed(Guid Id, Guid TenantId, Guid EndpointId, Guid EventId, Guid Token, DateTime LeaseUntil);

    /// <summary>At most <paramref name="max"/> due deliveries, each endpoint's share bounded by <paramref name="slots"/> (its free
    /// slots on this node; absent: the full per-endpoint allowance).</summary>
    public async Task<List<Claimed>> ClaimAsync(int max, IReadOnlyDictionary<Guid, int> slots, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var full = slots.Where(s => s.Value <= 0).Select(s => s.Key).ToList();
        var candidates = await Due(db, now).Where(d => !full.Contains(d.EndpointId))
            .OrderBy(d => d.NextAttemptAt).Take(max * 4).Select(d => new { d.Id, d.EndpointId }).ToListAsync(ct);
        var perEndpoint = options.Value.PerEndpointConcurrency;
        var chosen = candidates.GroupBy(c => c.EndpointId)
            .SelectMany(g => g.Take(slots.TryGetValue(g.Key, out var free) ? free : perEndpoint))
            .Take(max).Select(c => c.Id).ToList();
        if (chosen.Count == 0)
        {
            return [];
        }

        var token = Guid.NewGuid();
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        using (await gate.EnterAsync(db, ct))
        {
            await Due(db, now).Where(d => chosen.Contains(d.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseToken, token).SetProperty(d => d.LeaseUntil, until), ct);
        }

        return await db.Set<WebhookDelivery>().IgnoreQueryFilters().Where(d => d.LeaseToken == token)
            .Select(d => new Claimed(d.Id, d.TenantId, d.EndpointId, d.EventId, token, until)).ToListAsync(ct);
    }

    private static IQueryable<WebhookDelivery> Due(AppDb db, DateTime now) =>
        db.Set<WebhookDelivery>().IgnoreQueryFilters()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now));
}
