using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The query of GET /api/v1/tenant/analytics/api-requests: newest first, filtered by <c>status</c> (code or class),
/// <c>key_id</c>, <c>environment</c>, <c>endpoint</c>, and <c>from</c>/<c>to</c> (RFC 3339, either or both), cursor-paged.
/// </summary>
public sealed record RequestLogQuery(
    [property: Description("A status code (429) or a class: 2xx, 3xx, 4xx or 5xx.")] string? Status,
    [property: FromQuery(Name = "key_id")] string? KeyId,
    [property: OneOf(typeof(Emails.EmailLog), nameof(Emails.EmailLog.Environments))] string? Environment,
    string? Endpoint,
    string? From,
    string? To,
    int? Limit,
    string? Cursor)
{
    public ApiError? Validate(out UsageFilter filter, out DateTime? from, out DateTime? to, out Cursor? cursor)
    {
        var paging = Paging.ValidateByTime(Limit, Cursor, out cursor);
        var details = paging?.Details.ToList() ?? [];
        from = Timestamps.FromQuery("from", From, details);
        to = Timestamps.FromQuery("to", To, details);
        if (from is { } f && to is { } t && f >= t)
        {
            details.Add(new ErrorDetail("to", "to must be after from."));
        }

        // The usage query checks the shared filters the same way; a fixed range stands in for the window it needs.
        var shared = new UsageQuery("1h", null, null, null, Environment, Endpoint, Status);
        if (shared.Validate(DateTime.UnixEpoch, 1, out _, out filter) is { } invalid)
        {
            details.AddRange(invalid.Details);
        }

        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }

    public static IQueryable<ApiRequest> Filtered(AppDb db, UsageFilter filter, DateTime? from, DateTime? to)
    {
        var rows = db.ApiRequests.AsNoTracking();
        if (from is { } start)
        {
            rows = rows.Where(r => r.OccurredAt >= start);
        }

        if (to is { } end)
        {
            rows = rows.Where(r => r.OccurredAt < end);
        }

        return rows.Matching(filter);
    }

    /// <summary>Newest first; the cursor holds the last row's time (ticks) and id.</summary>
    public static IQueryable<ApiRequest> After(IQueryable<ApiRequest> rows, Cursor? after)
    {
        if (after is { Time: { } at })
        {
            var id = after.Id;
            rows = rows.Where(r => r.OccurredAt < at || (r.OccurredAt == at && r.Id.CompareTo(id) < 0));
        }

        return rows.OrderByDescending(r => r.OccurredAt).ThenByDescending(r => r.Id);
    }

    public static string CursorFor(ApiRequest row) =>
        Http.Cursor.At(row.OccurredAt, row.Id).Encode();
}

/// <summary>
/// One request of the log. <c>authenticated</c> false: the identifier named this tenant's key but the secret was
/// wrong. <c>duration_ms</c> in milliseconds; <c>key_id</c> the key's identifier.
/// </summary>
public sealed record ApiRequestView(
    Guid Id, DateTime Time, string KeyId, string Environment, bool Authenticated, string Endpoint, int Status,
    string? ErrorCode, string? ErrorMessage, double DurationMs, string? ClientIp, string? UserAgent, string RequestId);
