using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Webhooks;

/// <summary>
/// Per tenant, which enabled endpoints receive which event types, cached in memory: the outbox asks on every
/// SaveChanges, so a tenant without webhooks costs one dictionary look-up. Changes on this node evict at once; those
/// of other nodes within <see cref="WebhookOptions.ChangePollSeconds"/> (<see cref="WebhookEndpointChangeFeed"/>).
/// </summary>
public sealed class WebhookSubscriptions
{
    private readonly ConcurrentDictionary<Guid, Subscription[]> _byTenant = new();
    private long _generation;

    /// <summary>An enabled endpoint's interest: <see cref="Events"/> null means every type.</summary>
    public sealed record Subscription(Guid EndpointId, WebhookEnvironment Environment, HashSet<string>? Events)
    {
        public bool Wants(string type, WebhookEnvironment environment) => Environment == environment && (Events is null || Events.Contains(type));
    }

    public bool TryGet(Guid tenantId, out Subscription[] subscriptions) => _byTenant.TryGetValue(tenantId, out subscriptions!);

    /// <summary>The tenant's subscriptions, read with <paramref name="db"/> (no tracking, across the query filter) when not cached.</summary>
    public async Task<Subscription[]> GetAsync(AppDb db, Guid tenantId, CancellationToken ct)
    {
        if (_byTenant.TryGetValue(tenantId, out var cached))
        {
            return cached;
        }

        var generation = Interlocked.Read(ref _generation);
        var rows = await db.Set<WebhookEndpoint>().IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.Enabled && e.DeletedAt == null)
            .Select(e => new { e.Id, e.Environment, e.Events })
            .ToListAsync(ct);
        var loaded = rows.Select(r => new Subscription(r.Id, r.Environment, r.Events.Count == 0 ? null : r.Events.ToHashSet(StringComparer.Ordinal))).ToArray();
        if (Interlocked.Read(ref _generation) == generation)
        {
            _byTenant[tenantId] = loaded;
        }

        return loaded;
    }

    public void Evict(Guid tenantId)
    {
        Interlocked.Increment(ref _generation);
        _byTenant.TryRemove(tenantId, out _);
    }
}

/// <summary>Evicts the cached subscriptions of tenants whose endpoints any node changed (every change sets updated_at).</summary>
public sealed class WebhookEndpointChangeFeed(
    WebhookSubscriptions subscriptions, IServiceScopeFactory scopes, TimeProvider time, IOptions<WebhookOptions> options,
    ILogger<WebhookEndpointChangeFeed> logger) : ChangePoller(scopes, time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.ChangePollSeconds);

    protected override string Subject => "webhook endpoints";

    protected override async Task ApplyChangesAsync(AppDb db, DateTime since, CancellationToken ct)
    {
        var tenants = await db.Set<WebhookEndpoint>().IgnoreQueryFilters().Where(e => e.UpdatedAt >= since)
            .Select(e => e.TenantId).Distinct().ToListAsync(ct);
        foreach (var tenant in tenants)
        {
            subscriptions.Evict(tenant);
        }
    }
}
