using PenguinMails.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Portal.Webhooks;
using PenguinMails.Webhooks;

namespace PenguinMails.Portal.Pages.Integrations.Webhooks;

/// <summary>
/// <c>/dashboard/settings/integrations/esp/webhooks/endpoints/{id}?status=&amp;event_type=&amp;from=&amp;to=&amp;cursor=</c>: one
/// endpoint, its actions, and its delivery log (newest first, <see cref="PageSize"/> a page) filtered by status, event
/// type and creation time (<c>from</c>/<c>to</c> as <c>datetime-local</c> values read as UTC) through the API's own
/// <see cref="WebhookDeliveryQuery"/>, so a wrong filter is shown on the page, never a 500. Posts: enable/disable,
/// "Send test event", replay one delivery, replay every failed one in a range — no sudo (they reveal and redirect
/// nothing); another tenant's endpoint or delivery is 404.
/// </summary>
public sealed class EndpointModel(WebhookEndpoints endpoints, WebhookDeliveryLog log) : PageModel
{
    public const int PageSize = 25;
    public const string ProblemKey = "pm_webhook_problem";

    public WebhookEndpoint Endpoint { get; private set; } = null!;
    public IReadOnlyList<string> HeaderNames { get; private set; } = [];
    public List<WebhookDelivery> Deliveries { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public List<string> FilterProblems { get; } = [];
    public DateTime Now => endpoints.Now;

    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "event_type")] public string? EventType { get; set; }
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "cursor")] public string? Cursor { get; set; }

    public bool Filtered => Status is not null || EventType is not null || From is not null || To is not null;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (await LoadAsync(id) is { } missing)
        {
            return missing;
        }

        (Status, EventType) = (OptionalText.OrNull(Status), OptionalText.OrNull(EventType));
        (From, To) = (OptionalText.OrNull(From), OptionalText.OrNull(To));
        var from = Instant(From, "From");
        var to = Instant(To, "To");
        var query = new WebhookDeliveryQuery(Status, EventType, from, to, PageSize, OptionalText.OrNull(Cursor));
        if (query.Validate(out var filter) is { } invalid)
        {
            FilterProblems.AddRange(invalid.Details.Select(d => d.Message));
        }

        if (FilterProblems.Count > 0)
        {
            return Page();
        }

        var (page, hasMore) = await log.QueryAsync(id, filter, HttpContext.RequestAborted);
        Deliveries = page;
        NextCursor = hasMore ? WebhookDeliveryQuery.CursorFor(page[^1]) : null;
        return Page();
    }

    public async Task<IActionResult> OnPostToggleAsync(Guid id)
    {
        if (await LoadAsync(id) is { } missing)
        {
            return missing;
        }

        var enable = !Endpoint.Enabled;
        await endpoints.UpdateAsync(Endpoint, new UpdateWebhookRequest { Enabled = enable }, HttpContext.RequestAborted);
        return Done(enable ? "The endpoint is enabled: new events are sent to it." : "The endpoint is disabled: no events are sent to it until it is enabled again.");
    }

    public async Task<IActionResult> OnPostTestAsync(Guid id)
    {
        if (await LoadAsync(id) is { } missing)
        {
            return missing;
        }

        if (!Endpoint.Enabled)
        {
            return Done(null, "The endpoint is disabled: enable it before sending a test event.");
        }

        await log.SendTestAsync(Endpoint, HttpContext.RequestAborted);
        return Done("A webhook.test event was queued for this endpoint; it shows in the delivery log below.");
    }

    public async Task<IActionResult> OnPostReplayAsync(Guid id, Guid delivery)
    {
        if (await LoadAsync(id) is { } missing)
        {
            return missing;
        }

        if (await log.FindAsync(delivery, HttpContext.RequestAborted) is not { } original || original.EndpointId != id)
        {
            return NotFound();
        }

        if (!Endpoint.Enabled)
        {
            return Done(null, "The endpoint is disabled: enable it before replaying deliveries.");
        }

        await log.ReplayAsync(original, HttpContext.RequestAborted);
        return Done($"The {original.EventType} event was queued again, with the same webhook-id.");
    }

    public async Task<IActionResult> OnPostReplayFailedAsync(Guid id, string? replayFrom, string? replayTo)
    {
        if (await LoadAsync(id) is { } missing)
        {
            return missing;
        }

        if (!WebhookPages.TryReadLocal(replayFrom, out var from) || !WebhookPages.TryReadLocal(replayTo, out var to) || from is null || to is null)
        {
            return Done(null, "Enter both ends of the time range (UTC) to replay its failed deliveries.");
        }

        if (from >= to)
        {
            return Done(null, "The end of the time range must be after its start.");
        }

        if (!Endpoint.Enabled)
        {
            return Done(null, "The endpoint is disabled: enable it before replaying deliveries.");
        }

        var replays = await log.ReplayFailedAsync(id, from.Value, to.Value, HttpContext.RequestAborted);
        return Done(replays.Count switch
        {
            0 => "No failed delivery was created in that time range; nothing was sent again.",
            1 => "1 failed delivery was queued again.",
            var n => $"{n} failed deliveries were queued again.",
        });
    }

    /// <summary>This log at its next page, the filters kept.</summary>
    public string NextUrl => WebhookPages.Detail(Endpoint.Id) + new QueryBuilder(
        new[] { ("status", Status), ("event_type", EventType), ("from", From), ("to", To), ("cursor", NextCursor) }
            .Where(p => p.Item2 is not null).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2!))).ToQueryString() + "#deliveries";

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        if (await endpoints.FindAsync(id, HttpContext.RequestAborted) is not { } endpoint)
        {
            return NotFound();
        }

        Endpoint = endpoint;
        HeaderNames = endpoints.HeadersOf(endpoint).Keys.ToList();
        return null;
    }

    private RedirectResult Done(string? notice, string? problem = null)
    {
        TempData[WebhookPages.NoticeKey] = notice;
        TempData[ProblemKey] = problem;
        return Redirect(WebhookPages.Detail(Endpoint.Id) + (problem is null ? "#deliveries" : ""));
    }

    private string? Instant(string? local, string label)
    {
        if (WebhookPages.TryReadLocal(local, out var at))
        {
            return at is { } utc ? WebhookPages.Rfc3339(utc) : null;
        }

        FilterProblems.Add($"{label} must be a date and time, e.g. 2026-11-30T09:00.");
        return null;
    }
}
