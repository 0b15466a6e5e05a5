using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using PenguinMails.Webhooks;

namespace PenguinMails.Portal.Pages.Integrations.Webhooks;

/// <summary>
/// <c>/dashboard/settings/integrations/esp/webhooks/endpoints/secret</c>: an endpoint's signing secret, once, after it was
/// added or rotated. It comes from TempData (an encrypted cookie read and deleted by this very response, never in the
/// URL), so a reload shows only that it is gone; after a rotation, also until when the old secret keeps signing.
/// </summary>
public sealed class SecretShownModel(WebhookEndpoints endpoints) : PageModel
{
    private const string SecretKey = "pm_webhook_secret";
    private const string IdKey = "pm_webhook_id";
    private const string PreviousKey = "pm_webhook_previous_until";

    public string? Secret { get; private set; }
    public WebhookEndpoint? Endpoint { get; private set; }
    public DateTime? PreviousUntil { get; private set; }

    internal static void Keep(ITempDataDictionary tempData, Guid id, string secret, DateTime? previousUntil)
    {
        tempData[SecretKey] = secret;
        tempData[IdKey] = id.ToString();
        if (previousUntil is { } until)
        {
            tempData[PreviousKey] = until.Ticks.ToString(CultureInfo.InvariantCulture);
        }
    }

    public async Task OnGetAsync()
    {
        var secret = TempData[SecretKey] as string;
        var id = TempData[IdKey]?.ToString();
        var previous = TempData[PreviousKey]?.ToString();
        if (secret is null || !Guid.TryParse(id, out var endpointId))
        {
            return;
        }

        // The tenant filter hides another tenant's endpoint (a tenant switch in between): then nothing is shown.
        Endpoint = await endpoints.FindAsync(endpointId, HttpContext.RequestAborted);
        Secret = Endpoint is null ? null : secret;
        PreviousUntil = Http.Cursor.TimeOf(previous);
    }
}
