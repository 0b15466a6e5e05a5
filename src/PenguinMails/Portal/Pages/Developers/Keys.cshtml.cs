using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary><c>/dashboard/settings/developers/keys</c>: every key of the tenant (the API's page size limit, 100), newest first.</summary>
public sealed class KeysModel(AppDb db, TimeProvider time) : PageModel
{
    public List<KeyRow> Keys { get; private set; } = [];
    public DateTime Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow().UtcDateTime;
        Keys = await KeyRows.ListAsync(db, "all", 100, Now, HttpContext.RequestAborted);
    }
}
