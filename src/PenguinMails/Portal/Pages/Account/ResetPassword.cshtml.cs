using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Audit;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>
/// The page a reset link opens (<c>?id={account}&amp;token={token}</c>): a new password twice, with the rules of changing
/// one's password (at least 12 characters). A link that expired, was used, or was followed by another password change
/// is refused with a way to ask for a new one. A reset also ends a lockout (the mailbox proved who it is) and, by
/// changing the security stamp, signs out every other session; two-factor stays on and is still asked at sign-in.
/// </summary>
[NoTenantRequired]
public sealed class ResetPasswordModel(UserManager<Users.Account> users, AccountEvents events) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = "";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>The link cannot be used (expired, used, superseded, or not a link of ours).</summary>
    public bool Refused { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter a new password.")]
        [StringLength(200, MinimumLength = 12, ErrorMessage = "The new password must have at least 12 characters.")]
        [DataType(DataType.Password)]
        public string New { get; set; } = "";

        [Required(ErrorMessage = "Enter the new password again.")]
        [Compare(nameof(New), ErrorMessage = "The two new passwords are not the same.")]
        [DataType(DataType.Password)]
        public string Confirm { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        Refused = await AccountAsync() is null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await AccountAsync();
        if (account is null)
        {
            Refused = true;
            ModelState.Clear();
            return Page();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await users.ResetPasswordAsync(account, Token, Input.New);
        if (!result.Succeeded)
        {
            Refused = result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken));
            foreach (var error in result.Errors.Where(_ => !Refused))
            {
                ModelState.AddModelError("Input.New", error.Description);
            }

            return Page();
        }

        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
        await events.RecordAsync(account, SecurityEventTypes.PasswordResetCompleted, HttpContext);
        return LocalRedirect($"{PortalPaths.SignIn}?reset=done");
    }

    /// <summary>The account of a link that still works, else null.</summary>
    private async Task<Users.Account?> AccountAsync()
    {
        if (Id == Guid.Empty || string.IsNullOrEmpty(Token) || await users.FindByIdAsync(Id.ToString()) is not { } account)
        {
            return null;
        }

        return await users.VerifyUserTokenAsync(account, users.Options.Tokens.PasswordResetTokenProvider,
            UserManager<Users.Account>.ResetPasswordTokenPurpose, Token) ? account : null;
    }
}
