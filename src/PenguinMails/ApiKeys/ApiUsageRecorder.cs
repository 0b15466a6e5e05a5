using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.ApiKeys;

/// <summary>
/// Counts requests per key and hour in memory (a few interlocked adds per request, no allocation once a
/// key is warm) and writes them behind in one batch per flush interval: counters added to
/// api_key_usage and last_used_at moved forward. Nothing is written synchronously per request.
/// </summary>
public sealed class ApiUsageRecorder(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, ILogger<ApiUsageRecorder> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<(Guid Tenant, Guid Key, DateTime Hour), Counter> _pending = new();

    public void Record(Guid tenantId, Guid keyId, bool failed)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var counter = _pending.GetOrAdd((tenantId, keyId, hour), static _ => new Counter());
        counter.Add(failed, now.Ticks);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.ApiKeys.UsageFlushSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var currentHour = time.GetUtcNow().UtcDateTime.AddHours(-1);
        foreach (var tenantGroup in _pending.GroupBy(e => e.Key.Tenant).ToList())
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantGroup.Key);
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            foreach (var (entry, counter) in tenantGroup)
            {
                var (_, keyId, hour) = entry;
                var (requests, errors, lastTicks) = counter.Take();
                if (requests > 0)
                {
                    try
                    {
                        await AddAsync(db, keyId, hour, requests, errors, new DateTime(lastTicks, DateTimeKind.Utc), ct);
                    }
                    catch (Exception e)
                    {
                        counter.Return(requests, errors);
                        logger.LogWarning(e, "Writing API key usage failed; it is kept for the next flush");
                    }
                }
                else if (hour < currentHour)
                {
                    // No request records into an hour that has passed, so the entry can go.
                    _pending.TryRemove(entry, out _);
                }
            }
        }
    }

    private static async Task AddAsync(
        AppDb db, Guid keyId, DateTime hour, long requests, long errors, DateTime lastUsed, CancellationToken ct)
    {
        await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < lastUsed))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, lastUsed), ct);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var updated = await db.ApiKeyUsage.Where(u => u.ApiKeyId == keyId && u.HourStart == hour)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.Requests, u => u.Requests + requests)
                    .SetProperty(u => u.Errors, u => u.Errors + errors), ct);
            if (updated > 0)
            {
                return;
            }

            try
            {
                db.ApiKeyUsage.Add(new ApiKeyUsage
                {
                    ApiKeyId = keyId, HourStart = hour, Requests = requests, Errors = errors,
                });
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another node inserted the same hour first: add to its row
            }
        }
    }

    private sealed class Counter
    {
        private long _requests;
        private long _errors;
        private long _lastTicks;

        public void Add(bool failed, long ticks)
        {
            Interlocked.Increment(ref _requests);
            if (failed)
            {
                Interlocked.Increment(ref _errors);
            }

            long seen;
            while (ticks > (seen = Interlocked.Read(ref _lastTicks))
                   && Interlocked.CompareExchange(ref _lastTicks, ticks, seen) != seen)
            {
            }
        }

        public (long Requests, long Errors, long LastTicks) Take() =>
            (Interlocked.Exchange(ref _requests, 0), Interlocked.Exchange(ref _errors, 0), Interlocked.Read(ref _lastTicks));

        public void Return(long requests, long errors)
        {
            Interlocked.Add(ref _requests, requests);
            Interlocked.Add(ref _errors, errors);
        }
    }
}
