using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Audit;

/// <summary>One audit-log entry as the API answers it: who (<c>actor</c>), what (<c>type</c>, <c>detail</c>), when (UTC), from where.</summary>
public sealed record AuditLogEntry(
    Guid Id, string Type, string Actor, string? Detail, string? Ip, string? UserAgent, Guid? ApiKeyId, DateTime OccurredAt)
{
    public static AuditLogEntry Of(SecurityEvent e) =>
        new(e.Id, e.Type, e.Actor, e.Detail, e.IpAddress, e.UserAgent, e.ApiKeyId, DateTime.SpecifyKind(e.OccurredAt, DateTimeKind.Utc));
}

/// <summary>
/// GET /api/v1/platform/audit-log (<c>admin:full</c>, issue 11 "Audit log"): the calling key's tenant's entries, newest first,
/// filtered by <see cref="AuditLogQuery"/> and paged by keyset cursor (stable while new entries arrive: they sort before the
/// cursor). Entries older than <c>PenguinMails:Audit:RetentionDays</c> are gone (<see cref="AuditRetention"/>).
/// Errors: 400 VALIDATION_ERROR naming each wrong parameter; 401/403 as for every key-authenticated call.
/// </summary>
public static class AuditLogApi
{
    public static IEndpointRouteBuilder MapAuditLog(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/platform/audit-log").WithTags("Audit log")
            .MapGet("/", ListAsync).WithName("listAuditLog").RequirePermission(Permissions.AdminFull)
            .WithSummary("The tenant's audit log: key changes, sign-ins, lockouts, sudo, team changes, IP violations")
            .WithDescription(
                "Newest first. `type`: one or several (repeat it or separate with commas) of " +
                string.Join(", ", SecurityEventTypes.All.Select(t => $"`{t}`")) + ". `actor`: exact, as written in the log " +
                "(`user:EMAIL`, `api_key:pm_live_…`, `cli`). `from` (inclusive) and `to` (exclusive): RFC 3339 with a zone. " +
                "Entries are kept `PenguinMails:Audit:RetentionDays` (365 by default).");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<AuditLogEntry>>>, ApiError>> ListAsync(
        [AsParameters] AuditLogQuery query, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (query.Validate(out var filter) is { } invalid)
        {
            return invalid;
        }

        var (page, hasMore) = await filter.RunAsync(db, ct);
        var next = hasMore ? AuditLogFilter.CursorAfter(page[^1]) : null;
        return ApiResults.Ok(http, page.Select(AuditLogEntry.Of).ToList(), new PageInfo(filter.Limit, hasMore, next));
    }
}
