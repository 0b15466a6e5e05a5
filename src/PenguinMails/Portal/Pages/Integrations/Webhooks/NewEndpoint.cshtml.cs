using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Portal.Webhooks;
using PenguinMails.Webhooks;

namespace PenguinMails.Portal.Pages.Integrations.Webhooks;

/// <summary>
/// <c>/dashboard/settings/integrations/esp/webhooks/endpoints/new</c>: a new endpoint through <see cref="WebhookEndpoints"/>,
/// as the API creates one; its signing secret is shown once on <see cref="SecretShownModel"/>. Needs sudo mode, as a
/// new secret is shown (admins and developers alike, as for API keys).
/// </summary>
public sealed class NewEndpointModel(WebhookEndpoints endpoints) : PageModel
{
    [BindProperty]
    public WebhookDraft Draft { get; set; } = new();

    public IActionResult OnGet() =>
        PortalSudo.IsFresh(HttpContext) ? Page() : LocalRedirect(PortalSudo.PromptFor(WebhookPages.New));

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Clear();
        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(WebhookPages.New));
        }

        var headers = Draft.Validate(ModelState);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        try
        {
            var (endpoint, secret) = await endpoints.CreateAsync(Draft.ToCreate(headers), HttpContext.RequestAborted);
            SecretShownModel.Keep(TempData, endpoint.Id, secret, previousUntil: null);
            return LocalRedirect(WebhookPages.SecretShown);
        }
        catch (WebhookEndpoints.RefusedException refused)
        {
            ModelState.AddModelError("Draft.Url", Refusal(refused));
            return Page();
        }
    }

    /// <summary>The address policy's reason, as a sentence about the URL field.</summary>
    internal static string Refusal(WebhookEndpoints.RefusedException refused) =>
        refused.Error.Details is [var first, ..] ? $"This URL cannot receive events: {first.Message}" : refused.Message;
}
