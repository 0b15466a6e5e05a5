using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Users;

namespace PenguinMails.Portal.Pages.Team;

/// <summary>
/// <c>/dashboard/settings/team/{id}/role|remove|reset-password|unlock</c>: a confirmation page (GET), then the change
/// (POST) through <see cref="Users.Team"/>, which holds the rules (last admin, admins reset only by the CLI). Admins
/// only: a developer gets 403 on GET and POST. A membership of another tenant (or none) is 404. Needs sudo mode; the
/// prompt returns here with the chosen role in the URL.
/// </summary>
public sealed class MemberModel(Users.Team team, PortalSession session) : PageModel
{
    public TeamMember Member { get; private set; } = null!;

    /// <summary><c>role</c>, <c>remove</c>, <c>reset-password</c> or <c>unlock</c> (the route allows only these).</summary>
    public string Verb { get; private set; } = "";

    /// <summary>Why the change cannot be made (shown instead of the confirm button); null when it can.</summary>
    public string? Refusal { get; private set; }

    [BindProperty(SupportsGet = true)]
    public UserRole? Role { get; set; }

    public bool IsSelf => string.Equals(Member.Email, session.Email, StringComparison.OrdinalIgnoreCase);

    public async Task<IActionResult> OnGetAsync(Guid id, string verb) => await LoadAsync(id, verb) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, string verb)
    {
        if (await LoadAsync(id, verb) is { } early)
        {
            return early;
        }

        if (Refusal is not null)
        {
            return Page();
        }

        var actor = ChangeActor.User(HttpContext, session.Email);
        var ct = HttpContext.RequestAborted;
        try
        {
            switch (Verb)
            {
                case "role":
                    if (Role is not { } role || !Enum.IsDefined(role))
                    {
                        ModelState.AddModelError(nameof(Role), "Choose admin or developer.");
                        return Page();
                    }

                    await team.ChangeRoleAsync(Member, role, actor, ct);
                    return Done($"{Member.Email} is now {(role == UserRole.Admin ? "an admin" : "a developer")}.");
                case "remove":
                    await team.RemoveAsync(Member, actor, ct);
                    return Done($"{Member.Email} was removed from {session.Current!.Name}; their access to it ended. Their account and other tenants are unchanged.");
                case "unlock":
                    await team.UnlockAsync(Member, actor, ct);
                    return Done($"{Member.Email} is unlocked and can sign in again.");
                default:
                    var password = await team.ResetPasswordAsync(Member, actor, ct);
                    PasswordModel.Keep(TempData, Member.Email, password, created: false);
                    return LocalRedirect(PortalPaths.TeamPassword);
            }
        }
        catch (TeamRuleException e)
        {
            Refusal = e.Message;
            return Page();
        }
    }

    private LocalRedirectResult Done(string notice)
    {
        TempData[IndexModel.NoticeKey] = notice;
        return LocalRedirect(PortalPaths.Team);
    }

    private async Task<IActionResult?> LoadAsync(Guid id, string verb)
    {
        if (session.Current!.Role != UserRole.Admin)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var member = await team.FindAsync(id, HttpContext.RequestAborted);
        if (member is null)
        {
            return NotFound();
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            var back = $"{PortalPaths.Team}/{id}/{verb}" + (verb == "role" && Role is { } chosen ? $"?role={chosen}" : "");
            return LocalRedirect(PortalSudo.PromptFor(back));
        }

        (Member, Verb) = (member, verb);
        Role ??= member.Role == UserRole.Admin ? UserRole.Developer : UserRole.Admin;
        Refusal = verb is "reset-password" or "unlock" && member.Role == UserRole.Admin ? Users.Team.AdminsByCli
            : verb == "unlock" && member.LockedUntil is null ? $"{member.Email} is not locked."
            : verb is "remove" or "role" && await team.IsLastAdminAsync(member, HttpContext.RequestAborted) ? Users.Team.LastAdmin
            : null;
        return null;
    }
}
