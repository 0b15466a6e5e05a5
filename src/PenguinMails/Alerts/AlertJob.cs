using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Alerts;

/// <summary>
/// Every <c>PenguinMails:Alerts:IntervalSeconds</c> on the server's clock, asks each <see cref="IAlertCheck"/> which
/// tenants may have an alert due, then runs it for each of them in a scope of its own, so that one failing check (or
/// tenant) does not stop the others. Safe on every node at
/// once: the checks send through <see cref="AlertOutbox"/>, once per occurrence.
/// </summary>
public sealed class AlertJob(IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, ILogger<AlertJob> logger)
    : BackgroundService
{
    /// <summary>A day: longer would miss the day-of expiry notice (and is past what a timer accepts).</summary>
    public const double MaxIntervalSeconds = 86_400;

    private readonly SemaphoreSlim _running = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Alerts.Enabled)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Clamp(options.Value.Alerts.IntervalSeconds, 1, MaxIntervalSeconds));
        var next = time.GetUtcNow() + interval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await time.SleepUntilAsync(next, stoppingToken);
                next = time.GetUtcNow() + interval; // counted from this run's start, so a run's length is not added to it
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass at the clock's current time; a pass already running on this node is waited for.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var due = new Dictionary<Type, HashSet<Guid>>();
            List<Tenant> tenants;
            await using (var scope = scopes.CreateAsyncScope())
            {
                foreach (var check in scope.ServiceProvider.GetServices<IAlertCheck>())
                {
                    due[check.GetType()] = [.. await check.TenantsToCheckAsync(now, ct)];
                }

                var ids = due.Values.SelectMany(t => t).Distinct().ToList();
                tenants = await scope.ServiceProvider.GetRequiredService<AppDb>().Tenants.AsNoTracking()
                    .Where(t => ids.Contains(t.Id)).ToListAsync(ct);
            }

            foreach (var tenant in tenants)
            {
                await RunForAsync(tenant, now, due, ct);
            }
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task RunForAsync(Tenant tenant, DateTime now, Dictionary<Type, HashSet<Guid>> due, CancellationToken ct)
    {
        TenantAlertThresholds thresholds;
        await using (var scope = Enter(tenant))
        {
            thresholds = await TenantAlertThresholds.LoadAsync(scope.ServiceProvider.GetRequiredService<AppDb>(), options, ct);
        }

        foreach (var type in due.Where(d => d.Value.Contains(tenant.Id)).Select(d => d.Key))
        {
            await using var scope = Enter(tenant);
            var check = scope.ServiceProvider.GetServices<IAlertCheck>().First(c => c.GetType() == type);
            try
            {
                await check.RunAsync(new AlertRun(tenant, now, thresholds), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(e, "Alert check {Check} failed for tenant {Tenant}; it runs again next time", type.Name, tenant.Id);
            }
        }
    }

    private AsyncServiceScope Enter(Tenant tenant)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant.Id);
        return scope;
    }

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }
}
