using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Tenancy;

namespace PenguinMails.Domains;

/// <summary>
/// Every <see cref="DomainOptions.JobIntervalSeconds"/> on the injected clock, checks again in DNS each domain due:
/// verified and failed ones every <see cref="DomainOptions.RecheckHours"/>, pending ones in their first week (so a
/// domain verifies itself once its records appear). Operator-managed domains are never looked up. Each domain is
/// claimed by one conditional UPDATE of its <c>last_checked_at</c>, so with many nodes exactly one checks it.
/// </summary>
public sealed class DomainRecheckJob(IServiceScopeFactory scopes, WriteGate gate, TimeProvider time, IOptions<PenguinMailsOptions> options,
    ILogger<DomainRecheckJob> log) : BackgroundService
{
    private static readonly TimeSpan PendingWindow = TimeSpan.FromDays(7);
    private readonly SemaphoreSlim _running = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Domains;
        if (!settings.JobEnabled)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Clamp(settings.JobIntervalSeconds, 1, 86_400));
        var next = time.GetUtcNow() + interval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await time.SleepUntilAsync(next, stoppingToken);
                next = time.GetUtcNow() + interval; // counted from this run's start, so a run's length is not added to it
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Checking sending domains failed; trying again at the next interval.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass at the clock's current time; returns how many domains this node checked.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var due = now.AddHours(-options.Value.Domains.RecheckHours);
            var youngest = now - PendingWindow;
            List<(Guid Id, Guid Tenant)> candidates;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                candidates = (await Due(db, due, youngest).Select(d => new { d.Id, d.TenantId }).ToListAsync(ct))
                    .Select(d => (d.Id, d.TenantId)).ToList();
            }

            var checkedCount = 0;
            foreach (var (id, tenant) in candidates)
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant);
                var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                int claimed;
                using (await gate.EnterAsync(db, ct))
                {
                    claimed = await Due(db, due, youngest).Where(d => d.Id == id)
                        .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastCheckedAt, now), ct);
                }

                if (claimed == 1 && await db.SendingDomains.FirstOrDefaultAsync(d => d.Id == id, ct) is { } domain)
                {
                    try
                    {
                        await scope.ServiceProvider.GetRequiredService<DomainVerifier>().VerifyAsync(domain, ct);
                        checkedCount++;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // One domain's failure never holds up the others of the pass; this one is checked again next time.
                        log.LogWarning(e, "Checking sending domain {Domain} failed; the pass goes on.", domain.Name);
                    }
                }
            }

            return checkedCount;
        }
        finally
        {
            _running.Release();
        }
    }

    private static IQueryable<SendingDomain> Due(AppDb db, DateTime due, DateTime youngest) =>
        db.SendingDomains.IgnoreQueryFilters().Where(d => !d.OperatorManaged
            && (d.LastCheckedAt == null || d.LastCheckedAt <= due)
            && (d.Status != DomainStatus.Pending || d.CreatedAt >= youngest));
}
