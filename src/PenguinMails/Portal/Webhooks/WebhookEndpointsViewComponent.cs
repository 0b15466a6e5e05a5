using Microsoft.AspNetCore.Mvc;
using PenguinMails.Http;
using PenguinMails.Webhooks;

namespace PenguinMails.Portal.Webhooks;

/// <summary>What the endpoints list shows: a page of endpoints (oldest first), and the cursor of the next one.</summary>
public sealed record WebhookEndpointList(List<WebhookEndpoint> Endpoints, string? NextCursor, bool IsFirstPage, DateTime Now);

/// <summary>
/// The tenant's own webhook endpoints, the <c>#endpoints</c> section of /dashboard/settings/integrations/esp/webhooks
/// (issue 12, "Pages"): loads its own data through <see cref="WebhookEndpoints"/>, so the host page needs only
/// <c>@await Component.InvokeAsync("WebhookEndpoints")</c>. Pages of <see cref="PageSize"/> by the query's
/// <c>endpoints_cursor</c> (a cursor that cannot be read shows the first page).
/// </summary>
public sealed class WebhookEndpointsViewComponent(WebhookEndpoints endpoints) : ViewComponent
{
    public const int PageSize = 50;
    public const string CursorParameter = "endpoints_cursor";

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var text = HttpContext.Request.Query[CursorParameter].ToString();
        if (!Cursor.TryDecode(text, out var after))
        {
            after = null;
        }

        var (page, hasMore) = await endpoints.ListAsync(PageSize, after, HttpContext.RequestAborted);
        return View(new WebhookEndpointList(page, hasMore ? WebhookListQuery.CursorFor(page[^1]) : null, after is null, endpoints.Now));
    }
}
