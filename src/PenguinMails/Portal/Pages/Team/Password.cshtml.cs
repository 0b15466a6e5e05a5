using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace PenguinMails.Portal.Pages.Team;

/// <summary>
/// <c>/dashboard/settings/team/password</c>: a member's generated password (new account or reset), once. It comes from
/// TempData (an encrypted cookie read and deleted by this response, never in the URL), so a reload shows it is gone.
/// </summary>
public sealed class PasswordModel : PageModel
{
    private const string EmailKey = "pm_team_email";
    private const string PasswordKey = "pm_team_password";
    private const string CreatedKey = "pm_team_created";

    public string? Email { get; private set; }
    public string? Password { get; private set; }

    /// <summary>True for a new account, false for a reset.</summary>
    public bool Created { get; private set; }

    internal static void Keep(ITempDataDictionary tempData, string email, string password, bool created)
    {
        tempData[EmailKey] = email;
        tempData[PasswordKey] = password;
        tempData[CreatedKey] = created ? "created" : "reset";
    }

    public void OnGet()
    {
        Email = TempData[EmailKey] as string;
        Password = Email is null ? null : TempData[PasswordKey] as string;
        Created = TempData[CreatedKey] as string == "created";
    }
}
