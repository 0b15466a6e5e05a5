using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PenguinMails.Portal.Pages.Integrations;

/// <summary>
/// <c>/dashboard/settings/integrations/esp/webhooks</c>: the tenant's webhook endpoints (the WebhookEndpoints view
/// component, <c>#endpoints</c>) and the ESP sections.
/// </summary>
public sealed class EspWebhooksModel : PageModel
{
    public void OnGet()
    {
    }
}
