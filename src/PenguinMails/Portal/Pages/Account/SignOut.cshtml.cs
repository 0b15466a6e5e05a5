using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>Signs out (POST only, with its antiforgery token, so a link elsewhere cannot sign anyone out).</summary>
[NoTenantRequired]
[AllowedBeforeTwoFactor]
public sealed class SignOutModel(SignInManager<Users.Account> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect(PortalPaths.SignIn);
    }
}
