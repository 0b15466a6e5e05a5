using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Http.Idempotency;

public enum IdempotencyOutcome
{
    /// <summary>The key is new (or its old record expired): the request runs and its answer is kept.</summary>
    Proceed,
    Replay,
    DifferentRequest,
    InFlight,
}

/// <summary>
/// The idempotency table, read and written per <see cref="IdempotencyScope"/> (tenant, key environment, key). Each
/// operation runs in a scope of its own so that a failed insert (the key is taken) never lingers in the request's
/// change tracker.
/// </summary>
public sealed class IdempotencyStore(IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private static long _nextPurgeTicks;

    /// <summary>How long a first request may stay in flight before its key counts as abandoned.</summary>
    private TimeSpan InFlightLimit => TimeSpan.FromSeconds(Math.Max(60, options.Value.Delivery.LeaseSeconds));

    public async Task<(IdempotencyOutcome Outcome, IdempotencyRecord? Record)> BeginAsync(
        IdempotencyScope scope, byte[] requestHash, CancellationToken ct)
    {
        await PurgeExpiredAsync(ct);
        for (var tries = 0; ; tries++)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // Look first: a retry is the common case, and a failed insert would be logged as a database error.
            if (tries == 0 && await ExistingAsync(scope, ct) is { } known)
            {
                if (Decide(known, requestHash, now) is { } decided)
                {
                    return (decided, known);
                }

                await ForgetAsync(scope, ct);
            }

            await using var services = Enter(scope, out var db);
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Environment = scope.Environment, Key = scope.Key, RequestHash = requestHash, CreatedAt = now, ExpiresAt = now + Retention,
                LockedUntil = now + InFlightLimit,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                return (IdempotencyOutcome.Proceed, null);
            }
            catch (DbUpdateException) when (tries == 0)
            {
                var existing = await ExistingAsync(scope, ct);
                if (existing is not null && Decide(existing, requestHash, now) is { } outcome)
                {
                    return (outcome, existing);
                }

                await ForgetAsync(scope, ct);
            }
        }
    }

    /// <summary>What an existing record means for a new request; null when it expired or was abandoned in flight.</summary>
    private static IdempotencyOutcome? Decide(IdempotencyRecord existing, byte[] requestHash, DateTime now) =>
        existing.ExpiresAt <= now || (existing.ResponseStatus is null && existing.LockedUntil <= now) ? null
        : existing.ResponseStatus is null ? IdempotencyOutcome.InFlight
        : existing.RequestHash.AsSpan().SequenceEqual(requestHash) ? IdempotencyOutcome.Replay
        : IdempotencyOutcome.DifferentRequest;

    public async Task CompleteAsync(IdempotencyScope scope, int status, string? contentType, string? location, byte[] body, CancellationToken ct)
    {
        await using var services = Enter(scope, out var db);
        await In(db, scope).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.ResponseStatus, status)
            .SetProperty(r => r.ResponseContentType, contentType)
            .SetProperty(r => r.ResponseLocation, location)
            .SetProperty(r => r.ResponseBody, body), ct);
    }

    /// <summary>The request failed without an answer worth keeping (5xx, exception): the key may be retried.</summary>
    public async Task ForgetAsync(IdempotencyScope scope, CancellationToken ct)
    {
        await using var services = Enter(scope, out var db);
        await In(db, scope).ExecuteDeleteAsync(ct);
    }

    private async Task<IdempotencyRecord?> ExistingAsync(IdempotencyScope scope, CancellationToken ct)
    {
        await using var services = Enter(scope, out var db);
        return await In(db, scope).AsNoTracking().FirstOrDefaultAsync(ct);
    }

    /// <summary>The record of <paramref name="scope"/>; the tenant is the context's (<see cref="Enter"/>).</summary>
    private static IQueryable<IdempotencyRecord> In(AppDb db, IdempotencyScope scope) =>
        db.IdempotencyRecords.Where(r => r.Environment == scope.Environment && r.Key == scope.Key);

    /// <summary>At most every ten minutes per node, expired records of every tenant are deleted.</summary>
    private async Task PurgeExpiredAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var next = Interlocked.Read(ref _nextPurgeTicks);
        if (now.Ticks < next || Interlocked.CompareExchange(ref _nextPurgeTicks, now.AddMinutes(10).Ticks, next) != next)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        await db.IdempotencyRecords.IgnoreQueryFilters().Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }

    private AsyncServiceScope Enter(IdempotencyScope scope, out AppDb db)
    {
        var services = scopes.CreateAsyncScope();
        services.ServiceProvider.GetRequiredService<TenantContext>().Enter(scope.TenantId);
        db = services.ServiceProvider.GetRequiredService<AppDb>();
        return services;
    }
}
