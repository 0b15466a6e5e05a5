using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.ApiKeys;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/keys/{id}</c>: one key's card alone, the target of "View" in the compact keys
/// table. Another tenant's key (or none) is 404.
/// </summary>
public sealed class KeyModel(AppDb db, TimeProvider time) : PageModel
{
    public ApiKey Key { get; private set; } = null!;
    public ApiKeyUsageSummary Usage { get; private set; } = null!;
    public DateTime Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var ct = HttpContext.RequestAborted;
        if (await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, ct) is not { } key)
        {
            return NotFound();
        }

        Now = time.GetUtcNow().UtcDateTime;
        (Key, Usage) = (key, (await ApiKeyUsageQuery.ForAsync(db, [key.Id], Now, ct))[key.Id]);
        return Page();
    }
}
