using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Audit;

/// <summary>
/// GET /api/v1/platform/audit-log's parameters: <c>type</c> (repeated or comma-separated, each one of
/// <see cref="SecurityEventTypes.All"/>), <c>actor</c> (exact, as the log writes it: <c>user:EMAIL</c>,
/// <c>api_key:pm_live_…</c>, <c>cli</c>), <c>from</c> (inclusive) and <c>to</c> (exclusive), RFC 3339 with a zone,
/// <c>limit</c> 1–100 and <c>cursor</c>. Time stamps stay text until <see cref="Timestamps"/> reads them.
/// </summary>
public sealed record AuditLogQuery(
    [property: OneOf(typeof(SecurityEventTypes), nameof(SecurityEventTypes.All), CommaSeparated = true)] string[]? Type, string? Actor, string? From, string? To, int? Limit, string? Cursor)
{
    /// <summary>Checks every parameter; the error lists each one that is wrong.</summary>
    public ApiError? Validate(out AuditLogFilter filter)
    {
        var details = Paging.ValidateByTime(Limit, Cursor, out var cursor)?.Details.ToList() ?? [];
        var types = (Type ?? []).SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(t => QueryChoices.Check(t, "type", SecurityEventTypes.All, details, oneOfSeveral: true)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();

        if (Actor is { } actor && (actor.Trim().Length == 0 || actor.Length > 200))
        {
            details.Add(new ErrorDetail("actor", "actor must be 1 to 200 characters, as the log writes it: user:EMAIL, api_key:IDENTIFIER or cli."));
        }

        var from = Timestamps.FromQuery("from", From, details);
        var to = Timestamps.FromQuery("to", To, details);
        if (from is not null && to is not null && from >= to)
        {
            details.Add(new ErrorDetail("to", "to must be later than from."));
        }

        var after = cursor?.Time;
        filter = new AuditLogFilter(types, Actor?.Trim(), from, to, Limit ?? Paging.DefaultLimit, after, cursor?.Id);
        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }
}

/// <summary>A validated <see cref="AuditLogQuery"/>: the page after (<see cref="AfterAt"/>, <see cref="AfterId"/>) in newest-first order.</summary>
public sealed record AuditLogFilter(IReadOnlyList<string> Types, string? Actor, DateTime? From, DateTime? To, int Limit,
    DateTime? AfterAt, Guid? AfterId)
{
    /// <summary>One page of the current tenant's entries (the tenant query filter applies), newest first, and whether more follow.</summary>
    public async Task<(List<SecurityEvent> Page, bool HasMore)> RunAsync(AppDb db, CancellationToken ct)
    {
        var events = db.SecurityEvents.AsNoTracking();
        if (Types.Count > 0)
        {
            var types = Types.ToList();
            events = events.Where(e => types.Contains(e.Type));
        }

        if (Actor is { } actor)
        {
            events = events.Where(e => e.Actor == actor);
        }

        if (From is { } from)
        {
            events = events.Where(e => e.OccurredAt >= from);
        }

        if (To is { } to)
        {
            events = events.Where(e => e.OccurredAt < to);
        }

        if (AfterAt is { } at && AfterId is { } id)
        {
            events = events.Where(e => e.OccurredAt < at || (e.OccurredAt == at && e.Id.CompareTo(id) < 0));
        }

        var page = await events.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(Limit + 1).ToListAsync(ct);
        var hasMore = page.Count > Limit;
        return (hasMore ? page[..Limit] : page, hasMore);
    }

    public static string CursorAfter(SecurityEvent last) =>
        Cursor.At(last.OccurredAt, last.Id).Encode();
}
