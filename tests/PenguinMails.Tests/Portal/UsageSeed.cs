using PenguinMails.ApiUsage;
using PenguinMails.Data;
using PenguinMails.RateLimiting;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// Seeds a tenant's API usage fast, without making the requests: raw request rows written by the request log's own writers
/// (as <see cref="ApiRequestLog"/> does: <see cref="BulkInsert"/>'s rows, then <see cref="RollupWriter"/>'s roll-ups of the same batch, in one
/// transaction), plus the rate limiter's per-minute counts. Deterministic: the same arguments give the same rows.
/// The mix: about 90 % 2xx, then 400, 403, 404, 429 and 500 answers, and 401s with a wrong secret (not authenticated),
/// on seven endpoints, with a burst of <see cref="BurstSize"/> requests in the minute one hour before <c>end</c>.
/// </summary>
internal static class UsageSeed
{
    public const int BurstSize = 57;

    public static readonly string[] Endpoints =
        ["POST /api/v1/emails/send", "GET /api/v1/contacts", "POST /api/v1/contacts", "GET /api/v1/campaigns", "GET /api/v1/me",
            "GET /api/v1/templates", "DELETE /api/v1/contacts/{id}"];

    public static List<ApiRequest> Requests(Guid tenant, IReadOnlyList<(Guid Id, string Environment)> keys, DateTime end, int count, TimeSpan over, int seed = 11)
    {
        var random = new Random(seed);
        var rows = new List<ApiRequest>(count);
        var burstMinute = Minute(end.AddHours(-1));
        for (var i = 0; i < count; i++)
        {
            var at = i < BurstSize
                ? burstMinute.AddSeconds(i % 60)
                : end - TimeSpan.FromTicks((long)(random.NextDouble() * (over.Ticks - TimeSpan.TicksPerSecond)) + TimeSpan.TicksPerSecond);
            var (status, code, authenticated) = (random.Next(1000), i < BurstSize && i >= BurstSize - 5) switch
            {
                (_, true) => (429, "RATE_LIMIT_EXCEEDED", true),
                ( < 40, _) => (400, "VALIDATION_ERROR", true),
                ( < 50, _) => (403, "INSUFFICIENT_PERMISSIONS", true),
                ( < 70, _) => (404, "RESOURCE_NOT_FOUND", true),
                ( < 85, _) => (429, "RATE_LIMIT_EXCEEDED", true),
                ( < 90, _) => (500, "INTERNAL_SERVER_ERROR", true),
                ( < 100, _) => (401, "INVALID_API_KEY", false),
                _ => (random.Next(4) == 0 ? 201 : 200, (string?)null, true),
            };
            var (key, environment) = keys[random.Next(keys.Count) % keys.Count];
            rows.Add(new ApiRequest
            {
                TenantId = tenant, ApiKeyId = key, Environment = environment, Authenticated = authenticated, Endpoint = Endpoints[random.Next(Endpoints.Length)],
                Status = status, ErrorCode = code, ErrorMessage = code is null ? null : $"Seeded {code}",
                DurationMs = Math.Round(5 + random.NextDouble() * random.NextDouble() * 600, 3), OccurredAt = at,
                ClientIp = "192.0.2.10", UserAgent = "seed", RequestId = $"req_seed{i:D8}",
            });
        }

        return rows;
    }

    /// <summary>Writes the rows, their roll-ups and the limiter's minutes in the tenant of <paramref name="db"/>.</summary>
    public static async Task WriteAsync(AppDb db, List<ApiRequest> rows, int limitPerMinute, int burst)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await BulkInsert.WriteAsync(db, rows, default);
        await RollupWriter.AddAsync(db, RollupWriter.Aggregate(rows), default);
        db.RateLimitUsage.AddRange(rows.Where(r => r.Authenticated).GroupBy(r => Minute(r.OccurredAt)).Select(g => new RateLimitUsage
        {
            MinuteStart = g.Key, Allowed = g.Count(r => r.Status != 429), Refused = g.Count(r => r.Status == 429),
            PeakUsed = g.Count(), LimitPerMinute = limitPerMinute, Burst = burst,
        }));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        db.ChangeTracker.Clear();
    }

    public static DateTime Minute(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
}
