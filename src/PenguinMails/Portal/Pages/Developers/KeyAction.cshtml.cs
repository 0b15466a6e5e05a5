using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/keys/{id}/rotate</c> and <c>.../revoke</c>: a confirmation page (GET), then the
/// action (POST) through <see cref="ApiKeyIssuer"/> with the API's own conditions. Both need sudo mode. Another
/// tenant's key (or none) is 404. A developer may not rotate a key holding admin permissions (the API's rule that a
/// caller cannot take over permissions it lacks); anyone may revoke.
/// </summary>
public sealed class KeyActionModel(AppDb db, ApiKeyIssuer issuer, PortalSession session) : PageModel
{
    public ApiKey Key { get; private set; } = null!;

    /// <summary><c>rotate</c> or <c>revoke</c> (the route allows only these).</summary>
    public string Action { get; private set; } = "";

    /// <summary>Why the action cannot be done on this key (shown instead of the confirm button); null when it can.</summary>
    public string? Refusal { get; private set; }

    /// <summary>When the key replacing this one will expire (it gets this key's term again); null when it never does.</summary>
    public DateTime? NewExpiry => issuer.NewTermOf(Key);

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

        var actor = Users.ChangeActor.User(HttpContext, session.Email);
        if (Action == "revoke")
        {
            await issuer.RevokeAsync(Key, actor, HttpContext.RequestAborted);
            TempData["pm_key_notice"] = $"The key “{Key.Name}” was revoked; requests with it are refused from now on.";
            return LocalRedirect(PortalPaths.Keys);
        }

        var (key, secret) = await issuer.RotateAsync(Key, actor, HttpContext.RequestAborted);
        KeyShownModel.Keep(TempData, key.Id, secret, Key.ExpiresAt);
        return LocalRedirect(PortalPaths.KeyShown);
    }

    private async Task<IActionResult?> LoadAsync(Guid id, string verb)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, HttpContext.RequestAborted);
        if (key is null)
        {
            return NotFound();
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor($"{PortalPaths.Keys}/{id}/{verb}"));
        }

        (Key, Action) = (key, verb);
        var now = issuer.Now;
        Refusal = key.RevokedAt is not null ? ErrorCodes.ApiKeyRevoked.Message
            : verb == "revoke" ? null
            : key.StatusAt(now) == KeyStatus.Expired || key.ReplacedById is not null
                ? "This key has expired or was already rotated; rotate the key that replaced it."
            : key.Permissions.Any(p => !PermissionCatalog.MayGrant(session.Current!.Role, p))
                ? "This key holds admin permissions; only an admin of this tenant can rotate it."
            : null;
        return null;
    }
}
