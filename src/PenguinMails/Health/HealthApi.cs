using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Health;

public sealed record HealthStatus(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>/healthz: the process answers. /readyz: the database answers too.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("").WithTags("Health").AllowAnonymous();
        health.MapGet("/healthz", (HttpContext http) =>
            ApiResults.Ok(http, new HealthStatus("ok", new Dictionary<string, string>())))
            .WithSummary("Liveness: the process is up");
        health.MapGet("/readyz", Ready).WithSummary("Readiness: the database is reachable");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<HealthStatus>>, ApiError>> Ready(
        AppDb db, HttpContext http, CancellationToken ct)
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
            ? ApiResults.Ok(http, new HealthStatus("ready", new Dictionary<string, string> { ["database"] = "ok" }))
            : new ApiError(ErrorCodes.ServiceUnavailable, "The database is not reachable.",
                [new ErrorDetail("database", "unreachable")]);
    }
}
