using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>
/// Sign-in with email and password (Identity's hasher and lockout: <c>Portal:MaxFailedSignIns</c> wrong passwords in a
/// row lock the account for <c>Portal:LockoutMinutes</c>). One membership: that tenant is chosen at once; several: the
/// user chooses next. The same message for an unknown email and a wrong password, so neither is revealed.
/// </summary>
[NoTenantRequired]
public sealed class SignInModel(SignInManager<Users.Account> signIn, UserManager<Users.Account> users, AppDb db,
    IOptions<PenguinMailsOptions> options, TimeProvider time) : PageModel
{
    internal const string WrongCredentials = "The email address or password is not correct.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

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
        var result = account is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.CheckPasswordSignInAsync(account, Input.Password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            ModelState.AddModelError(string.Empty,
                $"This account is locked after {options.Value.Portal.MaxFailedSignIns} wrong passwords in a row. " +
                $"Try again in {options.Value.Portal.LockoutMinutes} minutes, or ask an admin to reset your password.");
            return Page();
        }

        if (!result.Succeeded || account is null)
        {
            ModelState.AddModelError(string.Empty, WrongCredentials);
            return Page();
        }

        var tenants = await db.Memberships.IgnoreQueryFilters().Where(m => m.AccountId == account.Id)
            .Select(m => m.TenantId).ToListAsync(HttpContext.RequestAborted);
        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : PortalPaths.Overview;
        if (tenants.Count == 1)
        {
            await signIn.SignInWithClaimsAsync(account, isPersistent: false, [new Claim(PortalClaims.Tenant, tenants[0].ToString()), PortalSudo.Fresh(time)]);
            return LocalRedirect(returnUrl);
        }

        await signIn.SignInWithClaimsAsync(account, isPersistent: false, [PortalSudo.Fresh(time)]);
        return LocalRedirect($"{PortalPaths.ChooseTenant}?returnUrl={Uri.EscapeDataString(returnUrl)}");
    }
}
