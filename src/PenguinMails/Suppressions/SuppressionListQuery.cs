using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Suppressions;

/// <summary>Newest first; <c>reason</c> filters (hard_bounce, complaint, unsubscribe, manual); <c>search</c> matches the address.</summary>
public sealed record SuppressionListQuery([property: OneOf(typeof(SuppressionReason))] string? Reason, string? Search, int? Limit, string? Cursor)
{
    public ApiError? Validate(out Cursor? cursor, out SuppressionReason? reason)
    {
        var details = Paging.ValidateByTime(Limit, Cursor, out cursor)?.Details.ToList() ?? [];
        reason = QueryChoices.Check<SuppressionReason>(Reason, "reason", details);

        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }

    internal async Task<(List<Suppression> Page, bool HasMore)> RunAsync(AppDb db, Cursor? after, SuppressionReason? reason, CancellationToken ct)
    {
        var rows = db.Suppressions.AsNoTracking();
        if (reason is { } r)
        {
            rows = rows.Where(s => s.Reason == r);
        }

        if (!string.IsNullOrWhiteSpace(Search))
        {
            var search = Domains.DomainNames.UnicodeLabels(Search.Trim().ToLowerInvariant());
            rows = rows.Where(s => s.Email.Contains(search));
        }

        if (after is not null)
        {
            var at = after.Time ?? DateTime.MaxValue;
            var id = after.Id;
            rows = rows.Where(s => s.CreatedAt < at || (s.CreatedAt == at && s.Id.CompareTo(id) < 0));
        }

        var limit = Limit ?? Paging.DefaultLimit;
        var page = await rows.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        return (hasMore ? page[..limit] : page, hasMore);
    }
}
