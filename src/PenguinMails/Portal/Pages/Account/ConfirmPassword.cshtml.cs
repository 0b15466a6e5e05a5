using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>
/// Sudo mode's prompt (<see cref="PortalSudo"/>): the password again, then back to <c>returnUrl</c> (local only). Wrong
/// passwords count towards the lockout as at sign-in; a locked account is signed out. Both outcomes are audit-log entries
/// (<c>auth.sudo_confirmed</c>, <c>auth.sudo_failed</c>, then <c>auth.locked_out</c>).
/// </summary>
[NoTenantRequired]
public sealed class ConfirmPasswordModel(SignInManager<Users.Account> signIn, UserManager<Users.Account> users, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<PenguinMailsOptions> options, AccountEvents events) : PageModel
{
    public double SudoMinutes => options.Value.Portal.SudoMinutes;

    /// <summary>"Cancel" goes back to the list the action started from: the team's members or the API keys.</summary>
    public string CancelUrl => Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith(PortalPaths.Team, StringComparison.OrdinalIgnoreCase)
        ? PortalPaths.Team
        : PortalPaths.Keys;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter your password.")]
    public string Password { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            return Challenge();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var wasLocked = await users.IsLockedOutAsync(account);
        var result = await signIn.CheckPasswordSignInAsync(account, Password, lockoutOnFailure: true);
        if (!result.Succeeded && !wasLocked)
        {
            await events.RecordFailureAsync(account, Audit.SecurityEventTypes.SudoFailed, "wrong password at the sudo prompt", HttpContext);
        }

        if (result.IsLockedOut)
        {
            await signIn.SignOutAsync();
            return LocalRedirect(PortalPaths.SignIn);
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(Password), "The password is not correct.");
            return Page();
        }

        Claim[] tenant = User.FindFirst(PortalClaims.Tenant) is { } chosen ? [new Claim(PortalClaims.Tenant, chosen.Value)] : [];
        await signIn.SignInWithClaimsAsync(account, isPersistent: false, [.. tenant, PortalSudo.Fresh(time)]);
        await events.RecordAsync(account, Audit.SecurityEventTypes.SudoConfirmed, HttpContext,
            $"sudo mode for {PortalSudo.Describe(SudoMinutes)}, to reach {Audit.AuditText.PathOnly(ReturnUrl)}");
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : PortalPaths.Keys);
    }
}
