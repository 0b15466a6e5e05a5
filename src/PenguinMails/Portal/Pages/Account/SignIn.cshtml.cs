using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Audit;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>
/// Sign-in with email and password (Identity's hasher and lockout: <c>Portal:MaxFailedSignIns</c> wrong passwords in a
/// row lock the account for <c>Portal:LockoutMinutes</c>), then the two-factor step when the account has it on. One
/// membership: that tenant is chosen at once; several: the user chooses next. The same message for an unknown email
/// and a wrong password, so neither is revealed. Sign-ins and wrong passwords of an existing account are audit-log entries
/// in each of its tenants (<see cref="AccountEvents"/>); an unknown address belongs to no tenant and leaves none.
/// </summary>
[NoTenantRequired]
public sealed class SignInModel(SignInManager<Users.Account> signIn, UserManager<Users.Account> users, PortalSignIn portal,
    AccountEvents events) : PageModel
{
    internal const string WrongCredentials = "The email address or password is not correct.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set after a password reset by email: the page says so.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Reset { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
        [Display(Name = "Email address")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var account = await users.FindByEmailAsync(Input.Email);
        var wasLocked = account is not null && await users.IsLockedOutAsync(account);
        // Both count a wrong password towards the lockout. With two-factor on, PasswordSignInAsync signs in nobody yet and
        // keeps the account in Identity's short-lived two-factor cookie for the next step; without, the password is only
        // checked here, so that the one cookie issued is ours, with the tenant and sudo claims.
        var result = account is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : account.TwoFactorEnabled ? await signIn.PasswordSignInAsync(account, Input.Password, isPersistent: false, lockoutOnFailure: true)
            : await signIn.CheckPasswordSignInAsync(account, Input.Password, lockoutOnFailure: true);
        if (account is not null && !wasLocked && !result.Succeeded && !result.RequiresTwoFactor)
        {
            await events.RecordFailureAsync(account, SecurityEventTypes.SignInFailed, "wrong password", HttpContext);
        }

        if (result.IsLockedOut)
        {
            ModelState.AddModelError(string.Empty, portal.LockedOutMessage);
            return Page();
        }

        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : PortalPaths.Overview;
        if (result.RequiresTwoFactor)
        {
            return LocalRedirect($"{PortalPaths.TwoFactorSignIn}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        if (!result.Succeeded || account is null)
        {
            ModelState.AddModelError(string.Empty, WrongCredentials);
            return Page();
        }

        return LocalRedirect(await portal.CompleteAsync(account, returnUrl, "password", HttpContext));
    }
}
