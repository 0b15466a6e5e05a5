using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.ApiKeys;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/keys/new</c>: the spec's four creation steps, one per page post (basic information,
/// permissions, expiration, IP restrictions), then the key through <see cref="ApiKeyIssuer"/> as the API creates it.
/// Needs sudo mode; when it ran out in the middle, the draft and its step wait in TempData for the password and the
/// user comes back to that step with everything entered.
/// </summary>
public sealed class NewKeyModel(ApiKeyIssuer issuer, PortalSession session, TimeProvider time) : PageModel
{
    internal const string DraftKey = "pm_key_draft";
    internal const string StepKey = "pm_key_step";

    [BindProperty]
    public KeyDraft Draft { get; set; } = new();

    [BindProperty]
    public int Step { get; set; } = 1;

    public Users.UserRole Role => session.Current!.Role;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public IActionResult OnGet(bool resume = false)
    {
        if (resume && TempData[DraftKey] is string saved && JsonSerializer.Deserialize<KeyDraft>(saved) is { } draft)
        {
            Draft = draft;
            Step = Math.Clamp(TempData[StepKey] as int? ?? 1, 1, KeyDraft.Steps);
        }

        return PortalSudo.IsFresh(HttpContext) ? Page() : LocalRedirect(PortalSudo.PromptFor(PortalPaths.NewKey));
    }

    /// <summary><paramref name="go"/>: <c>next</c>, <c>back</c>, <c>create</c> or <c>preset:NAME</c> (fills step 2's boxes).</summary>
    public async Task<IActionResult> OnPostAsync(string? go)
    {
        ModelState.Clear(); // binding errors of the hidden fields are re-checked below, by step
        Step = Math.Clamp(Step, 1, KeyDraft.Steps);
        Draft.Permissions = Draft.Permissions.Distinct().ToList();
        if (!PortalSudo.IsFresh(HttpContext))
        {
            TempData[DraftKey] = JsonSerializer.Serialize(Draft);
            TempData[StepKey] = Step;
            return LocalRedirect(PortalSudo.PromptFor(PortalPaths.NewKey + "?resume=true"));
        }

        if (go == "back")
        {
            Step = Math.Max(1, Step - 1);
            return Page();
        }

        if (go?.StartsWith("preset:", StringComparison.Ordinal) == true)
        {
            Draft.Permissions = PermissionCatalog.PresetFor(Role, go["preset:".Length..]);
            Step = 2;
            return Page();
        }

        Draft.Validate(Step, Role, Now, ModelState);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (Step < KeyDraft.Steps)
        {
            Step++;
            return Page();
        }

        return await CreateAsync();
    }

    private async Task<IActionResult> CreateAsync()
    {
        // A hand-made post could skip steps: every step is checked again, and the user sent to the first one wrong.
        for (var step = 1; step <= KeyDraft.Steps; step++)
        {
            Draft.Validate(step, Role, Now, ModelState);
            if (!ModelState.IsValid)
            {
                Step = step;
                return Page();
            }
        }

        var (key, secret) = await issuer.CreateAsync(Draft.ToRequest(Now), Users.ChangeActor.User(HttpContext, session.Email),
            HttpContext.RequestAborted);
        KeyShownModel.Keep(TempData, key.Id, secret, previousValidUntil: null);
        return LocalRedirect(PortalPaths.KeyShown);
    }
}
