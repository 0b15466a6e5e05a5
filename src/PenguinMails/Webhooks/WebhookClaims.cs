using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Webhooks;

/// <summary>
/// Takes due deliveries for this node under a lease: pending ones whose time has come and whose lease, if any, ran out
/// (their node died). Candidates are read per endpoint without locking — the endpoints with pending deliveries found by
/// a loose index scan of <c>(status, endpoint_id, next_attempt_at)</c>, in a shuffled order, then each one's oldest due
/// deliveries up to its free places — so that the cost of a claim does not grow with an endpoint's backlog and one
/// endpoint's backlog never hides another's due deliveries. They are then leased by one conditional UPDATE that stamps a
/// token of this claim: on PostgreSQL a row another node leased meanwhile no longer matches when the UPDATE re-reads it,
/// on SQLite the write gate makes the two steps one; either way each delivery is taken by one node only.
/// </summary>
public sealed class WebhookClaims(IServiceScopeFactory scopes, WriteGate gate, TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>A delivery leased to this node until <paramref name="LeaseUntil"/> (UTC) under <paramref name="Token"/>, with the
    /// <paramref name="Attempts"/> made before (only the lease holder adds one, so the count holds while the lease does).</summary>
    public sealed record Claimed(Guid Id, Guid TenantId, Guid EndpointId, Guid EventId, Guid Token, DateTime LeaseUntil, int Attempts);

    /// <summary>At most <paramref name="max"/> due deliveries, each endpoint's share bounded by <paramref name="slots"/> (its free
    /// places on this node) or, for an endpoint absent from it, by <paramref name="share"/> (default: the per-endpoint concurrency).</summary>
    public async Task<List<Claimed>> ClaimAsync(int max, IReadOnlyDictionary<Guid, int> slots, CancellationToken ct, int? share = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var endpoints = (await PendingEndpointsAsync(db, ct)).Where(id => !slots.TryGetValue(id, out var free) || free > 0).ToArray();
        Random.Shared.Shuffle(endpoints);
        var chosen = new List<Guid>();
        foreach (var endpointId in endpoints)
        {
            var take = Math.Min(max - chosen.Count, slots.TryGetValue(endpointId, out var free) ? free : share ?? options.Value.PerEndpointConcurrency);
            if (take <= 0)
            {
                break;
            }

            chosen.AddRange(await Due(db, now).Where(d => d.EndpointId == endpointId)
                .OrderBy(d => d.NextAttemptAt).Take(take).Select(d => d.Id).ToListAsync(ct));
        }

        if (chosen.Count == 0)
        {
            return [];
        }

        var token = Guid.NewGuid();
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        using (await gate.EnterAsync(db, ct))
        {
            await StillDue(db, now, chosen)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseToken, token).SetProperty(d => d.LeaseUntil, until), ct);
        }

        return await db.Set<WebhookDelivery>().IgnoreQueryFilters().Where(d => d.LeaseToken == token)
            .Select(d => new Claimed(d.Id, d.TenantId, d.EndpointId, d.EventId, token, until, d.Attempts)).ToListAsync(ct);
    }

    /// <summary>
    /// The endpoints that have pending deliveries (due or not), one index probe each: a recursive "next endpoint after
    /// this one" over the index <c>(status, endpoint_id, next_attempt_at)</c>, the same SQL on SQLite and PostgreSQL.
    /// </summary>
    private static Task<List<Guid>> PendingEndpointsAsync(AppDb db, CancellationToken ct)
    {
        var pending = WebhookDeliveryStatus.Pending.ToString();
        return db.Database.SqlQuery<Guid>($"""
            WITH RECURSIVE pending(endpoint_id) AS (
                SELECT (SELECT endpoint_id FROM webhook_deliveries WHERE status = {pending} ORDER BY endpoint_id LIMIT 1)
                UNION ALL
                SELECT (SELECT d.endpoint_id FROM webhook_deliveries d
                        WHERE d.status = {pending} AND d.endpoint_id > p.endpoint_id ORDER BY d.endpoint_id LIMIT 1)
                FROM pending p WHERE p.endpoint_id IS NOT NULL)
            SELECT endpoint_id AS "Value" FROM pending WHERE endpoint_id IS NOT NULL
            """).ToListAsync(ct);
    }

    /// <summary>
    /// The chosen deliveries that are still pending, due and not leased. "Still pending" is written as "none of the other
    /// statuses" on purpose: SQLite's planner, without statistics, would take an equality on <c>status</c> as its index
    /// and walk every pending delivery, where the ids alone are a few primary-key probes.
    /// </summary>
    private static IQueryable<WebhookDelivery> StillDue(AppDb db, DateTime now, List<Guid> chosen) =>
        db.Set<WebhookDelivery>().IgnoreQueryFilters().Where(d => chosen.Contains(d.Id) && !Settled.Contains(d.Status)
            && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now));

    private static readonly WebhookDeliveryStatus[] Settled =
        [.. Enum.GetValues<WebhookDeliveryStatus>().Where(s => s != WebhookDeliveryStatus.Pending)];

    private static IQueryable<WebhookDelivery> Due(AppDb db, DateTime now) =>
        db.Set<WebhookDelivery>().IgnoreQueryFilters()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now));
}
