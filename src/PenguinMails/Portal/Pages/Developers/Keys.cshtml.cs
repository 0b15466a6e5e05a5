using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.ApiKeys;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/keys?search=&amp;status=&amp;sort=</c>: the tenant's keys as cards (the API's list query,
/// ApiKeyList, at its page size limit 100), filtered by a GET form so a filtered view is a link. An unknown status
/// or sort shows the default (all, created date), as a hand-edited URL should not fail.
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

    public List<ApiKey> Keys { get; private set; } = [];
    public Dictionary<Guid, ApiKeyUsageSummary> Usage { get; private set; } = [];
    public DateTime Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow().UtcDateTime;
        Status = StatusChoices.Any(c => c.Value == Status) ? Status : "all";
        Sort = SortChoices.Any(c => c.Value == Sort) ? Sort : "created_at";
        Search = Search?.Trim() is { Length: > 0 and <= 200 } s ? s : null;
        var query = new ApiKeyListQuery(Search, Status, Sort, null, 100, null);
        var ct = HttpContext.RequestAborted;
        (Keys, _) = await ApiKeyList.RunAsync(db, query, null, Now, ct);
        Usage = await ApiKeyUsageQuery.ForAsync(db, Keys.Select(k => k.Id).ToList(), Now, ct);
    }
}
