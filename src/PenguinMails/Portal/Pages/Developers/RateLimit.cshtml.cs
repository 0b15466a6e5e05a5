using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.RateLimiting;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/rate-limit</c>: the overview's "Rate Limit Status" card alone (an HTML fragment,
/// no layout), which the card fetches for itself every 5 seconds (htmx) to stay current without reloading the page.
/// </summary>
public sealed class RateLimitModel(RateLimitStatusReader reader, PortalSession session) : PageModel
{
    public RateLimitStatus Status { get; private set; } = null!;

    public async Task OnGetAsync() => Status = await reader.GetAsync(session.Current!.Id, HttpContext.RequestAborted);
}
