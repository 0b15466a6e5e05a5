using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Users;

namespace PenguinMails.Portal.Pages.Team;

/// <summary>
/// <c>/dashboard/settings/team</c>: the current tenant's members (email, role, lockout, two-factor, added). Everyone sees
/// the list; an admin also adds members (POST, sudo mode) through <see cref="UserAccounts.AddMemberAsync"/>, as the CLI's
/// <c>users create</c> does: a new account's generated password goes to <see cref="PasswordModel"/> (shown once), an
/// existing account is only added. A developer's POST answers 403. When sudo mode ran out, what was entered waits in
/// TempData through the password prompt.
/// </summary>
public sealed class IndexModel(Users.Team team, UserAccounts accounts, PortalSession session, TimeProvider time) : PageModel
{
    internal const string NoticeKey = "pm_team_notice";
    private const string DraftKey = "pm_team_draft";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public List<TeamMember> Members { get; private set; } = [];
    public bool IsAdmin => session.Current!.Role == UserRole.Admin;
    public string CurrentEmail => session.Email;
    public string TenantName => session.Current!.Name;
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter the new member's email address.")]
        [Display(Name = "Email address")]
        public string Email { get; set; } = "";

        [Display(Name = "Role")]
        public UserRole Role { get; set; } = UserRole.Developer;
    }

    public async Task OnGetAsync(bool resume = false)
    {
        if (resume && IsAdmin && TempData[DraftKey] is string saved && JsonSerializer.Deserialize<InputModel>(saved) is { } draft)
        {
            Input = draft;
        }

        Members = await team.ListAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!IsAdmin)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        Input.Email = Input.Email.Trim();
        if (ModelState.IsValid && !UserAccounts.IsAddress(Input.Email))
        {
            ModelState.AddModelError("Input.Email", "Enter an email address like name@example.com.");
        }

        if (!Enum.IsDefined(Input.Role))
        {
            ModelState.AddModelError("Input.Role", "Choose admin or developer.");
        }

        if (!ModelState.IsValid)
        {
            Members = await team.ListAsync(HttpContext.RequestAborted);
            return Page();
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            TempData[DraftKey] = JsonSerializer.Serialize(Input);
            return LocalRedirect(PortalSudo.PromptFor(PortalPaths.Team + "?resume=true"));
        }

        AddedMember added;
        try
        {
            added = await accounts.AddMemberAsync(Input.Email, Input.Role, Actor(), HttpContext.RequestAborted);
        }
        catch (InvalidOperationException e)
        {
            ModelState.AddModelError("Input.Email", e.Message);
            Members = await team.ListAsync(HttpContext.RequestAborted);
            return Page();
        }

        var role = added.Membership.Role.ToString().ToLowerInvariant();
        if (added.Password is null)
        {
            TempData[NoticeKey] = $"{added.Account.Email} already had an account: it was added as {role}. Its password is unchanged.";
            return LocalRedirect(PortalPaths.Team);
        }

        PasswordModel.Keep(TempData, added.Account.Email!, added.Password, created: true);
        return LocalRedirect(PortalPaths.TeamPassword);
    }

    private ChangeActor Actor() => ChangeActor.User(HttpContext, session.Email);
}
