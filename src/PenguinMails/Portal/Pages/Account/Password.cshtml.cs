using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>Change your own password: the current one, then the new one twice (at least 12 characters).</summary>
[NoTenantRequired]
public sealed class PasswordModel(SignInManager<Users.Account> signIn, UserManager<Users.Account> users, TimeProvider time,
    AccountEvents events) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Changed { get; private set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your current password.")]
        [DataType(DataType.Password)]
        [Display(Name = "Current password")]
        public string Current { get; set; } = "";

        [Required(ErrorMessage = "Enter a new password.")]
        [StringLength(200, MinimumLength = 12, ErrorMessage = "The new password must have at least 12 characters.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string New { get; set; } = "";

        [Required(ErrorMessage = "Enter the new password again.")]
        [Compare(nameof(New), ErrorMessage = "The two new passwords are not the same.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password again")]
        public string Confirm { get; set; } = "";
    }

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

        var result = await users.ChangePasswordAsync(account, Input.Current, Input.New);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                var field = error.Code == "PasswordMismatch" ? "Input.Current" : "Input.New";
                ModelState.AddModelError(field, error.Code == "PasswordMismatch" ? "The current password is not correct." : error.Description);
            }

            return Page();
        }

        // The security stamp changed (other sessions end); this one is renewed, keeping its chosen tenant.
        Claim[] tenant = User.FindFirst(PortalClaims.Tenant) is { } chosen ? [new Claim(PortalClaims.Tenant, chosen.Value)] : [];
        await signIn.SignInWithClaimsAsync(account, isPersistent: false, [.. tenant, PortalSudo.Fresh(time)]);
        await events.RecordAsync(account, Audit.SecurityEventTypes.PasswordChanged, HttpContext);
        Changed = true;
        Input = new InputModel();
        ModelState.Clear();
        return Page();
    }
}
