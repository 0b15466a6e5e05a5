using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.RateLimiting;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers</c>, the spec's developer overview (api-access-routes.md §4), card by card: "Start
/// Building with PenguinMails API" with the quick links, the compact table of the tenant's active keys (at most
/// <see cref="CompactRows"/>, newest first), "Rate Limit Status" (refreshed by <see cref="RateLimitModel"/>), the
/// popular endpoints and the SDK tabs.
/// </summary>
public sealed class IndexModel(AppDb db, TimeProvider time, IOptions<PenguinMailsOptions> options, RateLimitStatusReader rateLimits,
    PortalSession session) : PageModel
{
    public const int CompactRows = 10;

    public List<KeyRow> Keys { get; private set; } = [];
    public DateTime Now { get; private set; }
    public string BaseUrl { get; private set; } = "";
    public RateLimitStatus RateLimit { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        Now = time.GetUtcNow().UtcDateTime;
        Keys = await KeyRows.ListAsync(db, "active", CompactRows, Now, HttpContext.RequestAborted);
        RateLimit = await rateLimits.GetAsync(session.Current!.Id, HttpContext.RequestAborted);
        BaseUrl = string.IsNullOrWhiteSpace(options.Value.PublicUrl)
            ? $"{Request.Scheme}://{Request.Host}"
            : options.Value.PublicUrl.TrimEnd('/');
    }
}
