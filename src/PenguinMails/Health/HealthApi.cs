using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.RateLimiting;
using PenguinMails.OpenApi;

namespace PenguinMails.Health;

public sealed record HealthStatus(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>
/// /healthz: the process answers. /readyz: the database answers too; it also says where rate limits are kept
/// ("redis", or "local (redis unreachable)"), which does not make the node unready: it serves under local limits.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("").WithTags("Health").AllowAnonymous();
        health.MapGet("/healthz", (HttpContext http) =>
            ApiResults.Ok(http, new HealthStatus("ok", new Dictionary<string, string>()))).WithName("getLiveness")
            .WithSummary("Liveness: the process is up");
        health.MapGet("/readyz", Ready).WithName("getReadiness").ProducesErrors(ErrorCodes.ServiceUnavailable).WithSummary("Readiness: the database is reachable");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<HealthStatus>>, ApiError>> Ready(
        AppDb db, FailoverRateLimitStore rateLimits, HttpContext http, CancellationToken ct)
    {
        bool reachable;
        try
        {
            reachable = await db.Database.CanConnectAsync(ct);
        }
        catch (Exception)
        {
            reachable = false;
        }

        return reachable
            ? ApiResults.Ok(http, new HealthStatus("ready",
                new Dictionary<string, string> { ["database"] = "ok", ["rate_limiter"] = rateLimits.State }))
            : new ApiError(ErrorCodes.ServiceUnavailable, "The database is not reachable.",
                [new ErrorDetail("database", "unreachable")]);
    }
}
