using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.RateLimiting;

/// <summary>
/// Each tenant's plan, read once per node and kept: a warm request reads no database. Plan changes from any
/// node or the CLI (which set updated_at) are picked up by one query per PenguinMails:RateLimits:PlanRefreshSeconds,
/// whatever the number of tenants (<see cref="ChangePoller"/>).
/// </summary>
public sealed class TenantPlans(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, ILogger<TenantPlans> logger)
    : ChangePoller(scopes, time, logger)
{
    private readonly ConcurrentDictionary<Guid, Task<Plan?>> _plans = new();

    public ValueTask<Plan> GetAsync(Guid tenantId)
    {
        var entry = _plans.GetOrAdd(tenantId, static (id, self) => self.LoadAsync(id), this);
        return entry.IsCompletedSuccessfully && entry.Result is { } plan ? new(plan) : new(AwaitAsync(tenantId, entry));
    }

    private async Task<Plan> AwaitAsync(Guid tenantId, Task<Plan?> entry)
    {
        if (await entry is { } plan)
        {
            return plan;
        }

        // Not read (the database is away): limit as the smallest plan for now and read again next time.
        _plans.TryRemove(new KeyValuePair<Guid, Task<Plan?>>(tenantId, entry));
        return Plan.Starter;
    }

    private async Task<Plan?> LoadAsync(Guid tenantId)
    {
        try
        {
            await using var scope = Scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            return await db.Tenants.Where(t => t.Id == tenantId).Select(t => (Plan?)t.Plan).FirstOrDefaultAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Reading the plan of tenant {TenantId} failed; it is limited as starter until it can be read", tenantId);
            return null;
        }
    }

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.RateLimits.PlanRefreshSeconds);

    protected override string Subject => "tenant plans";

    protected override async Task ApplyChangesAsync(AppDb db, DateTime since, CancellationToken ct)
    {
        var changed = await db.Tenants.Where(t => t.UpdatedAt >= since).Select(t => new { t.Id, t.Plan }).ToListAsync(ct);
        foreach (var tenant in changed.Where(t => _plans.ContainsKey(t.Id)))
        {
            _plans[tenant.Id] = Task.FromResult<Plan?>(tenant.Plan);
        }
    }
}
