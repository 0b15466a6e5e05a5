using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>
/// Chooses (or switches) the tenant the portal acts for: the choice goes into the cookie's claims, and only a tenant
/// the account is a member of can be chosen — any other id answers 404, telling nothing about whether it exists.
/// </summary>
[NoTenantRequired]
[AllowedBeforeTwoFactor]
public sealed class ChooseTenantModel(SignInManager<Users.Account> signIn, UserManager<Users.Account> users, PortalSession session)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IReadOnlyList<PortalTenant> Tenants => session.Tenants;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(Guid tenantId)
    {
        var chosen = session.Tenants.FirstOrDefault(t => t.Id == tenantId);
        var account = await users.GetUserAsync(User);
        if (chosen is null || account is null)
        {
            return NotFound();
        }

        await signIn.SignInWithClaimsAsync(account, isPersistent: false, [new Claim(PortalClaims.Tenant, chosen.Id.ToString()), .. PortalSudo.Carry(User)]);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : PortalPaths.Overview);
    }
}
