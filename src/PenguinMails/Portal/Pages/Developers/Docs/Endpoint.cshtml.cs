using Microsoft.AspNetCore.Mvc;
using PenguinMails.ApiKeys;
using PenguinMails.Portal.Docs;
using PenguinMails.RateLimiting;

namespace PenguinMails.Portal.Pages.Developers.Docs;

/// <summary>
/// <c>/dashboard/settings/developers/docs/endpoints/{operationId}</c>: one operation of the OpenAPI document
/// (api-access-routes.md "Endpoint Documentation", "Try It Out", "Code Examples"), with the signed-in tenant's own rate
/// limit. "Create a short-lived test key" is the spec's "select from your keys" (DECISIONS.md "The portal"): a new
/// <c>pm_test_</c> docs key for one hour, made in sudo mode like any key and shown once — handed to this page through
/// TempData (an encrypted cookie read once, never the URL).
/// </summary>
public sealed class EndpointModel(ApiReference reference, PublicBaseUrl baseUrl, RateLimitStatusReader limits, PortalSession session,
    ApiKeyIssuer issuer) : DocsPageModel(reference, baseUrl)
{
    private const string SecretKey = "pm_docs_key";
    private const string ExpiresKey = "pm_docs_key_expires";

    public DocOperation Operation { get; private set; } = null!;
    public RateLimitStatus? Limit { get; private set; }
    public IReadOnlyList<CodeSample> Samples { get; private set; } = [];

    /// <summary>The docs key just created, shown this once; null on every other view.</summary>
    public string? NewKey { get; private set; }
    public DateTime? NewKeyExpiresAt { get; private set; }

    public string PageUrl => $"{PortalPaths.Docs}/endpoints/{Operation.OperationId}";

    public async Task<IActionResult> OnGetAsync(string operationId)
    {
        if (!await LoadAsync(operationId))
        {
            return NotFound();
        }

        NewKey = TempData[SecretKey] as string;
        NewKeyExpiresAt = long.TryParse(TempData[ExpiresKey]?.ToString(), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var ticks) ? new DateTime(ticks, DateTimeKind.Utc) : null;
        Limit = Operation.Authenticated ? await limits.GetAsync(session.Current!.Id, HttpContext.RequestAborted) : null;
        Samples = CodeSamples.For(Operation, BaseUrl, Reference.Schemas);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateKeyAsync(string operationId)
    {
        if (!await LoadAsync(operationId))
        {
            return NotFound();
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(PageUrl + "#try-it"));
        }

        var permissions = PermissionCatalog.PresetFor(session.Current!.Role, "full_access");
        var (key, secret) = await issuer.CreateDocsKeyAsync(permissions, Users.ChangeActor.User(HttpContext, session.Email), HttpContext.RequestAborted);
        TempData[SecretKey] = secret;
        TempData[ExpiresKey] = key.ExpiresAt!.Value.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return LocalRedirect(PageUrl + "#try-it");
    }

    private async Task<bool> LoadAsync(string operationId)
    {
        await LoadReferenceAsync();
        Operation = Reference.Find(operationId)!;
        return Operation is not null;
    }
}
