using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.ApiKeys;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/keys?search=&amp;status=&amp;sort=&amp;page=</c>: the tenant's keys as cards, <see cref="PageSize"/>
/// a page (the API's list query, ApiKeyList, by position), filtered by a GET form so a filtered view is a link. An
/// unknown status or sort shows the default (all, created date) and a page past the end shows the last one, as a
/// hand-edited URL should not fail.
/// </summary>
public sealed class KeysModel(AppDb db, TimeProvider time) : PageModel
{
    public static readonly (string Value, string Label)[] StatusChoices = [("all", "All"), ("active", "Active"), ("revoked", "Revoked"), ("expired", "Expired")];
    public static readonly (string Value, string Label)[] SortChoices = [("created_at", "Created Date"), ("last_used_at", "Last Used"), ("name", "Name")];

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    /// <summary>The page shown, from 1 (query <c>page</c>; read by hand, as Razor Pages keep the route value "page" for themselves).</summary>
    public int PageNumber { get; private set; } = 1;

    public const int PageSize = 25;

    /// <summary>How many keys match the filter, on every page.</summary>
    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public List<ApiKey> Keys { get; private set; } = [];

    /// <summary>
    /// The docs page's one-hour test keys of the last <see cref="DocsKeysShown"/>, newest first, listed apart from the
    /// keys people made for their applications (revocable from their card like any key).
    /// </summary>
    public List<ApiKey> DocsKeys { get; private set; } = [];

    public static readonly TimeSpan DocsKeysShown = TimeSpan.FromDays(7);
    public Dictionary<Guid, ApiKeyUsageSummary> Usage { get; private set; } = [];
    public DateTime Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow().UtcDateTime;
        Status = StatusChoices.Any(c => c.Value == Status) ? Status : "all";
        Sort = SortChoices.Any(c => c.Value == Sort) ? Sort : "created_at";
        Search = Search?.Trim() is { Length: > 0 and <= 200 } s ? s : null;
        var query = new ApiKeyListQuery(Search, Status, Sort, null, PageSize, null);
        var ct = HttpContext.RequestAborted;
        PageNumber = int.TryParse(Request.Query["page"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var page)
            ? Math.Clamp(page, 1, int.MaxValue / PageSize) : 1;
        (Keys, Total) = await ApiKeyList.PageAsync(db, query, (PageNumber - 1) * PageSize, Now, ct);
        if (Keys.Count == 0 && Total > 0)
        {
            PageNumber = PageCount;
            (Keys, Total) = await ApiKeyList.PageAsync(db, query, (PageNumber - 1) * PageSize, Now, ct);
        }

        DocsKeys = await db.ApiKeys.AsNoTracking().Where(k => k.IsDocsKey && k.CreatedAt > Now - DocsKeysShown)
            .OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id).Take(PageSize).ToListAsync(ct);
        Usage = await ApiKeyUsageQuery.ForAsync(db, Keys.Concat(DocsKeys).Select(k => k.Id).ToList(), Now, ct);
    }

    /// <summary>This view's URL at another page, the filters kept (the defaults left out, as the form leaves nothing out).</summary>
    public string UrlFor(int page)
    {
        var query = new QueryBuilder();
        if (Search is not null)
        {
            query.Add("search", Search);
        }

        query.Add("status", Status!);
        query.Add("sort", Sort!);
        query.Add("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return PortalPaths.Keys + query.ToQueryString();
    }
}
