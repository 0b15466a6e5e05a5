using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Templates;

/// <summary>Newest first; <c>search</c> matches slug or name; keyset pagination on (created_at, id).</summary>
public sealed record TemplateListQuery(string? Search, int? Limit, string? Cursor)
{
    internal async Task<(List<EmailTemplate> Page, bool HasMore)> RunAsync(AppDb db, Cursor? after, CancellationToken ct)
    {
        var templates = db.EmailTemplates.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Search))
        {
            var search = Search.Trim().ToLowerInvariant();
            templates = templates.Where(t => t.Slug.Contains(search) || t.Name.ToLower().Contains(search));
        }

        if (after is not null)
        {
            var (at, id) = (after.Time ?? DateTime.MaxValue, after.Id);
            templates = templates.Where(t => t.CreatedAt < at || (t.CreatedAt == at && t.Id.CompareTo(id) < 0));
        }

        var limit = Limit ?? Paging.DefaultLimit;
        var page = await templates.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        return (hasMore ? page[..limit] : page, hasMore);
    }

    internal static string CursorFor(EmailTemplate t) =>
        Http.Cursor.At(t.CreatedAt, t.Id).Encode();
}
