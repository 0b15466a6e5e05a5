using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Portal.Webhooks;
using PenguinMails.Webhooks;

namespace PenguinMails.Portal.Pages.Integrations.Webhooks;

/// <summary>
/// <c>/dashboard/settings/integrations/esp/webhooks/endpoints/{id}/rotate</c> and <c>.../delete</c>: a confirmation page
/// (GET), then the action (POST) through <see cref="WebhookEndpoints"/>. Both need sudo mode; another tenant's endpoint
/// (or none) is 404. A rotation shows the new secret once, with until when the old one keeps signing.
/// </summary>
public sealed class EndpointActionModel(WebhookEndpoints endpoints) : PageModel
{
    public WebhookEndpoint Endpoint { get; private set; } = null!;

    /// <summary><c>rotate</c> or <c>delete</c> (the route allows only these).</summary>
    public string Verb { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, string verb) => await LoadAsync(id, verb) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, string verb)
    {
        if (await LoadAsync(id, verb) is { } early)
        {
            return early;
        }

        var ct = HttpContext.RequestAborted;
        if (Verb == "delete")
        {
            await endpoints.DeleteAsync(Endpoint, ct);
            TempData[WebhookPages.NoticeKey] = $"The endpoint {Endpoint.Url} was deleted; no more events are sent to it.";
            return LocalRedirect(WebhookPages.List + "#endpoints");
        }

        var secret = await endpoints.RotateSecretAsync(Endpoint, ct);
        SecretShownModel.Keep(TempData, Endpoint.Id, secret, Endpoint.PreviousSecretUntil);
        return LocalRedirect(WebhookPages.SecretShown);
    }

    private async Task<IActionResult?> LoadAsync(Guid id, string verb)
    {
        if (await endpoints.FindAsync(id, HttpContext.RequestAborted) is not { } endpoint)
        {
            return NotFound();
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(WebhookPages.Action(id, verb)));
        }

        (Endpoint, Verb) = (endpoint, verb);
        return null;
    }
}
