using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.RateLimiting;
using PenguinMails.Tenancy;

namespace PenguinMails.Portal.Pages.Settings;

/// <summary>
/// <c>/dashboard/settings/plans</c>, where "Upgrade plan →" leads (DECISIONS.md "The portal"): every plan's rate and
/// burst as this installation configures them (PenguinMails:RateLimits), the tenant's own plan as stored (a
/// <c>tenants set-plan</c> shows at once; the limiter follows within PlanRefreshSeconds), and who changes it: the
/// operator, from the CLI — billing is outside the product.
/// </summary>
public sealed class PlansModel(AppDb db, RateLimitStatusReader rateLimits, PortalSession session, IOptions<PenguinMailsOptions> options)
    : PageModel
{
    public IReadOnlyList<(Plan Plan, RatePolicy Policy)> All { get; private set; } = [];
    public Plan Current { get; private set; }
    public string Slug => session.Current!.Slug;
    public string TenantName => session.Current!.Name;
    public bool Enabled => options.Value.RateLimits.Enabled;
    public double RefreshSeconds => options.Value.RateLimits.PlanRefreshSeconds;

    public async Task OnGetAsync()
    {
        All = rateLimits.Plans();
        var id = session.Current!.Id;
        Current = await db.Tenants.Where(t => t.Id == id).Select(t => t.Plan).FirstAsync(HttpContext.RequestAborted);
    }
}
