using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Audit;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>
/// The second step of sign-in for an account with two-factor on: the 6-digit code of its authenticator app (RFC 6238,
/// Identity's authenticator token provider, ±90 s of clock drift) or one of its recovery codes, each usable once.
/// Wrong codes count towards the same lockout as wrong passwords. Reached only with Identity's two-factor cookie,
/// which the password step sets; without it, back to sign-in.
/// </summary>
[NoTenantRequired]
public sealed class TwoFactorSignInModel(SignInManager<Users.Account> signIn, UserManager<Users.Account> users, PortalSignIn portal,
    AccountEvents events) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter the 6-digit code from your authenticator app, or a recovery code.")]
    [StringLength(32, ErrorMessage = "Enter the 6-digit code from your authenticator app, or a recovery code.")]
    public string Code { get; set; } = "";

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? LocalRedirect(PortalPaths.SignIn) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (account is null)
        {
            return LocalRedirect(PortalPaths.SignIn);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var code = Code.Replace(" ", "", StringComparison.Ordinal).Trim();
        var isTotp = code.Length == 6 && code.All(char.IsAsciiDigit);
        // Checked here rather than by SignInManager's two-factor sign-in, which would issue a cookie of its own before
        // ours (with the tenant and sudo claims): the same checks, the same lockout, one cookie.
        var wasLocked = await users.IsLockedOutAsync(account);
        var right = !wasLocked && (isTotp
            ? await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : (await users.RedeemTwoFactorRecoveryCodeAsync(account, code.ToUpperInvariant())).Succeeded);
        if (!right && !wasLocked)
        {
            await users.AccessFailedAsync(account);
            await events.RecordFailureAsync(account, SecurityEventTypes.SignInFailed,
                isTotp ? "right password, wrong authenticator code" : "right password, wrong recovery code", HttpContext);
        }

        if (await users.IsLockedOutAsync(account))
        {
            await HttpContext.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
            ModelState.AddModelError(nameof(Code), portal.LockedOutMessage);
            return Page();
        }

        if (!right)
        {
            ModelState.AddModelError(nameof(Code), isTotp
                ? "That code is not correct. Check that your device's clock is right and enter the code now shown."
                : "That recovery code is not correct or was already used.");
            return Page();
        }

        await users.ResetAccessFailedCountAsync(account);
        await HttpContext.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        if (!isTotp)
        {
            await events.RecordAsync(account, SecurityEventTypes.RecoveryCodeUsed, HttpContext,
                $"{await users.CountRecoveryCodesAsync(account)} recovery codes left");
        }

        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : PortalPaths.Overview;
        return LocalRedirect(await portal.CompleteAsync(account, returnUrl,
            isTotp ? "password and authenticator code" : "password and recovery code", HttpContext));
    }
}
