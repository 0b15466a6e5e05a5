using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Portal;

/// <summary>
/// Before every page handler of a signed-in user: loads the account's memberships and enters the tenant chosen in the
/// cookie into <see cref="TenantContext"/>, so the global query filters isolate tenants on pages as they do for keys.
/// The membership is checked on each request: a removed member loses the tenant at once, whatever the cookie says.
/// A page that needs a tenant redirects to the tenant choice when none (or no longer a valid one) is chosen; an admin
/// who must first set up two-factor (<see cref="TwoFactorPolicy"/>) is sent to do so.
/// </summary>
internal sealed class PortalTenantFilter(AppDb db, TenantContext tenant, PortalSession session, TwoFactorPolicy twoFactor) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var user = context.HttpContext.User;
        if (user.Identity?.IsAuthenticated != true || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var accountId))
        {
            await next();
            return;
        }

        var ct = context.HttpContext.RequestAborted;
        session.Email = user.FindFirstValue(ClaimTypes.Email) ?? user.Identity.Name ?? "";
        session.Tenants = await db.Memberships.IgnoreQueryFilters().Where(m => m.AccountId == accountId)
            .Join(db.Tenants, m => m.TenantId, t => t.Id, (m, t) => new { t.Id, t.Name, t.Slug, m.Role })
            .OrderBy(t => t.Name).Select(t => new PortalTenant(t.Id, t.Name, t.Slug, t.Role)).ToListAsync(ct);
        session.Current = session.Tenants.FirstOrDefault(t => t.Id == PortalClaims.TenantOf(user));
        var pageType = context.HandlerInstance.GetType();
        if (!pageType.IsDefined(typeof(AllowedBeforeTwoFactorAttribute), true) && await twoFactor.MustSetUpAsync(accountId, session.Current, ct))
        {
            context.Result = new RedirectResult(PortalPaths.Security);
            return;
        }

        var needsTenant = context.HandlerInstance.GetType().GetCustomAttributes(typeof(NoTenantRequiredAttribute), true).Length == 0;
        if (!needsTenant)
        {
            await next();
            return;
        }

        if (session.Current is null)
        {
            var returnUrl = context.HttpContext.Request.Path + context.HttpContext.Request.QueryString;
            context.Result = new RedirectResult($"{PortalPaths.ChooseTenant}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            return;
        }

        tenant.Enter(session.Current.Id);
        await next();
    }
}
