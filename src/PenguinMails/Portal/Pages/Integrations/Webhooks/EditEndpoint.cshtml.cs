using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Portal.Webhooks;
using PenguinMails.Webhooks;

namespace PenguinMails.Portal.Pages.Integrations.Webhooks;

/// <summary>
/// <c>/dashboard/settings/integrations/esp/webhooks/endpoints/{id}/edit</c>: the URL, description, environment, events
/// and custom headers of an endpoint, through <see cref="WebhookEndpoints.UpdateAsync"/>. Needs sudo mode: the form
/// shows the custom headers (often credentials) and a new URL sends the tenant's events elsewhere. Another tenant's
/// endpoint (or none) is 404.
/// </summary>
public sealed class EditEndpointModel(WebhookEndpoints endpoints) : PageModel
{
    [BindProperty]
    public WebhookDraft Draft { get; set; } = new();

    public Guid Id { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await endpoints.FindAsync(id, HttpContext.RequestAborted) is not { } endpoint)
        {
            return NotFound();
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(WebhookPages.Edit(id)));
        }

        Id = id;
        Draft = WebhookDraft.Of(endpoint, endpoints.HeadersOf(endpoint));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        ModelState.Clear();
        if (await endpoints.FindAsync(id, HttpContext.RequestAborted) is not { } endpoint)
        {
            return NotFound();
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(WebhookPages.Edit(id)));
        }

        Id = id;
        var headers = Draft.Validate(ModelState);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        try
        {
            await endpoints.UpdateAsync(endpoint, Draft.ToUpdate(headers), HttpContext.RequestAborted);
        }
        catch (WebhookEndpoints.RefusedException refused)
        {
            ModelState.AddModelError("Draft.Url", NewEndpointModel.Refusal(refused));
            return Page();
        }

        TempData[WebhookPages.NoticeKey] = "The endpoint's changes were saved.";
        return LocalRedirect(WebhookPages.Detail(id));
    }
}
