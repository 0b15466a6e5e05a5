using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>
/// "Forgot password?": asks for the email address and always gives the same answer afterwards, whether or not an
/// account has it and whether or not the hourly limit held the mail back (<see cref="PasswordResetMail"/>).
/// </summary>
[NoTenantRequired]
public sealed class ForgotPasswordModel(PasswordResetMail reset) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
    [Display(Name = "Email address")]
    public string Email { get; set; } = "";

    /// <summary>The request was taken: the page shows the one answer.</summary>
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        await reset.RequestAsync(Email, HttpContext);
        Sent = true;
        return Page();
    }
}
