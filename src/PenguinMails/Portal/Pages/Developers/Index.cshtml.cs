using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers</c>, the spec's developer overview: "Start Building with PenguinMails API" and
/// the compact table of the tenant's active keys (at most <see cref="CompactRows"/>, newest first).
/// </summary>
public sealed class IndexModel(AppDb db, TimeProvider time, IOptions<PenguinMailsOptions> options) : PageModel
{
    public const int CompactRows = 10;

    public List<KeyRow> Keys { get; private set; } = [];
    public DateTime Now { get; private set; }
    public string BaseUrl { get; private set; } = "";

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow().UtcDateTime;
        Keys = await KeyRows.ListAsync(db, "active", CompactRows, Now, HttpContext.RequestAborted);
        BaseUrl = string.IsNullOrWhiteSpace(options.Value.PublicUrl)
            ? $"{Request.Scheme}://{Request.Host}"
            : options.Value.PublicUrl.TrimEnd('/');
    }
}
