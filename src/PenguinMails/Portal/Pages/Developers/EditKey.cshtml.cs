using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/keys/{id}/permissions</c>, the card's "Edit Permissions": the creation steps'
/// permission categories and presets, and the IP restrictions, saved through <see cref="ApiKeyIssuer.UpdateAsync"/> as
/// the API's PATCH does (a security event; the key's cache entry evicted here, other nodes following through
/// ApiKeyChangeFeed), so the next request with the key meets the new permissions. Needs sudo mode; when it ran out,
/// what was entered waits in TempData through the password prompt. Only active keys can be edited; a developer may not
/// grant admin permissions nor edit a key holding them. Another tenant's key (or none) is 404.
/// </summary>
public sealed class EditKeyModel(AppDb db, ApiKeyIssuer issuer, PortalSession session) : PageModel
{
    [BindProperty]
    public KeyDraft Draft { get; set; } = new();

    public ApiKey Key { get; private set; } = null!;

    /// <summary>Why this key cannot be edited (shown instead of the form); null when it can.</summary>
    public string? Refusal { get; private set; }

    public Users.UserRole Role => session.Current!.Role;

    private string Path => $"{PortalPaths.Keys}/{Key.Id}/permissions";

    private string SavedDraft => $"pm_key_edit_{Key.Id:N}";

    public async Task<IActionResult> OnGetAsync(Guid id, bool resume = false)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(Path));
        }

        Draft = resume && TempData[SavedDraft] is string saved && JsonSerializer.Deserialize<KeyDraft>(saved) is { } draft
            ? draft
            : new KeyDraft
            {
                Permissions = [.. Key.Permissions],
                IpMode = Key.AllowedIps.Count > 0 ? "restrict" : "all",
                Ips = string.Join(", ", Key.AllowedIps),
            };
        return Page();
    }

    /// <summary><paramref name="go"/>: <c>save</c> or <c>preset:NAME</c> (fills the boxes, saves nothing).</summary>
    public async Task<IActionResult> OnPostAsync(Guid id, string? go)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        ModelState.Clear(); // the draft's other fields (name, expiry) are not part of this form
        Draft.Permissions = Draft.Permissions.Distinct().ToList();
        if (!PortalSudo.IsFresh(HttpContext))
        {
            TempData[SavedDraft] = JsonSerializer.Serialize(Draft);
            return LocalRedirect(PortalSudo.PromptFor(Path + "?resume=true"));
        }

        if (Refusal is not null)
        {
            return Page();
        }

        if (go?.StartsWith("preset:", StringComparison.Ordinal) == true)
        {
            Draft.Permissions = PermissionCatalog.PresetFor(Role, go["preset:".Length..]);
            return Page();
        }

        Draft.Validate(2, Role, issuer.Now, ModelState);
        Draft.Validate(4, Role, issuer.Now, ModelState);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var change = new UpdateApiKeyRequest
        {
            Permissions = [.. Draft.Permissions],
            AllowedIps = Draft.IpMode == "restrict" ? Draft.IpEntries() : [],
        };
        await issuer.UpdateAsync(Key, change, Users.ChangeActor.User(HttpContext, session.Email), HttpContext.RequestAborted);
        TempData["pm_key_notice"] = $"The permissions of “{Key.Name}” were saved; they apply from its next request.";
        return LocalRedirect(PortalPaths.Keys);
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        if (await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, HttpContext.RequestAborted) is not { } key)
        {
            return false;
        }

        Key = key;
        Refusal = key.RevokedAt is not null ? ErrorCodes.ApiKeyRevoked.Message
            : key.StatusAt(issuer.Now) == KeyStatus.Expired ? "This key has expired and cannot be edited; create a new key instead."
            : key.Permissions.Any(p => !PermissionCatalog.MayGrant(Role, p))
                ? "This key holds admin permissions; only an admin of this tenant can change them."
            : null;
        return true;
    }
}
