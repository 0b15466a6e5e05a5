using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Http;
using PenguinMails.OpenApi;

namespace PenguinMails.Webhooks;

/// <summary>
/// /api/v1/webhooks (api-access.md "Webhooks", issue 12): the tenant's endpoints, their delivery logs, replays and test
/// events. Reading needs webhooks:read, every change webhooks:write. The work is done by <see cref="WebhookEndpoints"/>
/// and <see cref="WebhookDeliveryLog"/>, which the portal uses too.
/// </summary>
public static class WebhooksApi
{
    private const string Root = "/api/v1/webhooks";

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup(Root).WithTags("Webhooks");
        hooks.MapGet("/", List).WithName("listWebhooks").RequirePermission(Permissions.WebhooksRead).WithSummary("List webhook endpoints");
        hooks.MapPost("/", Create).WithName("createWebhook").RequirePermission(Permissions.WebhooksWrite)
            .ProducesErrors(ErrorCodes.WebhookUrlNotAllowed).WithSummary("Create a webhook endpoint (its signing secret is returned only here)");
        hooks.MapGet("/event-types", EventTypes).WithName("listWebhookEventTypes").RequirePermission(Permissions.WebhooksRead)
            .WithSummary("List the event types an endpoint can subscribe to");
        hooks.MapGet("/{id:guid}", Get).WithName("getWebhook").RequirePermission(Permissions.WebhooksRead).WithSummary("Get a webhook endpoint");
        hooks.MapPatch("/{id:guid}", Update).WithName("updateWebhook").RequirePermission(Permissions.WebhooksWrite)
            .ProducesErrors(ErrorCodes.WebhookUrlNotAllowed).WithSummary("Change an endpoint's URL, events, environment, description, headers or enabled state");
        hooks.MapDelete("/{id:guid}", Delete).WithName("deleteWebhook").RequirePermission(Permissions.WebhooksWrite).WithSummary("Delete a webhook endpoint");
        hooks.MapPost("/{id:guid}/rotate-secret", Rotate).WithName("rotateWebhookSecret").RequirePermission(Permissions.WebhooksWrite)
            .WithSummary("New signing secret; the old one also signs for 24 hours");
        hooks.MapPost("/{id:guid}/test", SendTest).WithName("sendWebhookTest").RequirePermission(Permissions.WebhooksWrite)
            .ProducesErrors(ErrorCodes.ResourceConflict)
            .WithSummary("Send a webhook.test event to the endpoint");
        hooks.MapGet("/{id:guid}/deliveries", Deliveries).WithName("listWebhookDeliveries").RequirePermission(Permissions.WebhooksRead)
            .WithSummary("The endpoint's delivery log, newest first");
        hooks.MapPost("/{id:guid}/replay", ReplayRange).WithName("replayFailedWebhookDeliveries").RequirePermission(Permissions.WebhooksWrite)
            .ProducesErrors(ErrorCodes.ResourceConflict)
            .WithSummary("Send again every failed delivery created in [from, to)");
        hooks.MapPost("/deliveries/{id:guid}/replay", ReplayOne).WithName("replayWebhookDelivery").RequirePermission(Permissions.WebhooksWrite)
            .ProducesErrors(ErrorCodes.ResourceConflict)
            .WithSummary("Send one delivery's event again (same webhook-id)");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<WebhookResponse>>>, ApiError>> List(
        [AsParameters] WebhookListQuery query, WebhookEndpoints endpoints, HttpContext http, CancellationToken ct)
    {
        if (query.Validate(out var cursor) is { } invalid)
        {
            return invalid;
        }

        var limit = query.Limit ?? Paging.DefaultLimit;
        var (page, hasMore) = await endpoints.ListAsync(limit, cursor, ct);
        return ApiResults.Ok(http, page.Select(endpoints.Response).ToList(),
            new PageInfo(limit, hasMore, hasMore ? WebhookListQuery.CursorFor(page[^1]) : null));
    }

    private static Ok<SuccessEnvelope<List<WebhookEventTypeResponse>>> EventTypes(HttpContext http) =>
        ApiResults.Ok(http, WebhookEventTypes.Described.Select(d => new WebhookEventTypeResponse(d.Type, d.Description)).ToList());

    private static async Task<Results<Created<SuccessEnvelope<WebhookWithSecretResponse>>, ApiError>> Create(
        CreateWebhookRequest request, WebhookEndpoints endpoints, HttpContext http, CancellationToken ct)
    {
        try
        {
            var (endpoint, secret) = await endpoints.CreateAsync(request, ct);
            return ApiResults.Created(http, $"{Root}/{endpoint.Id}",
                new WebhookWithSecretResponse(endpoints.Response(endpoint), secret, WebhookWithSecretResponse.CopyWarning));
        }
        catch (WebhookEndpoints.RefusedException refused)
        {
            return refused.Error;
        }
    }

    private static async Task<Results<Ok<SuccessEnvelope<WebhookResponse>>, ApiError>> Get(
        Guid id, WebhookEndpoints endpoints, HttpContext http, CancellationToken ct) =>
        await endpoints.FindAsync(id, ct) is { } endpoint ? ApiResults.Ok(http, endpoints.Response(endpoint)) : NotFound();

    private static async Task<Results<Ok<SuccessEnvelope<WebhookResponse>>, ApiError>> Update(
        Guid id, UpdateWebhookRequest request, WebhookEndpoints endpoints, HttpContext http, CancellationToken ct)
    {
        if (await endpoints.FindAsync(id, ct) is not { } endpoint)
        {
            return NotFound();
        }

        try
        {
            await endpoints.UpdateAsync(endpoint, request, ct);
            return ApiResults.Ok(http, endpoints.Response(endpoint));
        }
        catch (WebhookEndpoints.RefusedException refused)
        {
            return refused.Error;
        }
    }

    private static async Task<Results<Ok<SuccessEnvelope<WebhookResponse>>, ApiError>> Delete(
        Guid id, WebhookEndpoints endpoints, HttpContext http, CancellationToken ct)
    {
        if (await endpoints.FindAsync(id, ct) is not { } endpoint)
        {
            return NotFound();
        }

        await endpoints.DeleteAsync(endpoint, ct);
        return ApiResults.Ok(http, endpoints.Response(endpoint));
    }

    private static async Task<Results<Ok<SuccessEnvelope<WebhookWithSecretResponse>>, ApiError>> Rotate(
        Guid id, WebhookEndpoints endpoints, HttpContext http, CancellationToken ct)
    {
        if (await endpoints.FindAsync(id, ct) is not { } endpoint)
        {
            return NotFound();
        }

        var secret = await endpoints.RotateSecretAsync(endpoint, ct);
        return ApiResults.Ok(http, new WebhookWithSecretResponse(endpoints.Response(endpoint), secret, WebhookWithSecretResponse.CopyWarning));
    }

    private static async Task<Results<Accepted<SuccessEnvelope<WebhookDeliveryResponse>>, ApiError>> SendTest(
        Guid id, WebhookEndpoints endpoints, WebhookDeliveryLog log, HttpContext http, CancellationToken ct)
    {
        if (await endpoints.FindAsync(id, ct) is not { } endpoint)
        {
            return NotFound();
        }

        if (!endpoint.Enabled)
        {
            return Disabled("sending a test event");
        }

        var delivery = await log.SendTestAsync(endpoint, ct);
        return Accepted(http, delivery);
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<WebhookDeliveryResponse>>>, ApiError>> Deliveries(
        Guid id, [AsParameters] WebhookDeliveryQuery query, WebhookEndpoints endpoints, WebhookDeliveryLog log, HttpContext http, CancellationToken ct)
    {
        if (query.Validate(out var filter) is { } invalid)
        {
            return invalid;
        }

        if (await endpoints.FindAsync(id, ct) is null)
        {
            return NotFound();
        }

        var (page, hasMore) = await log.QueryAsync(id, filter, ct);
        return ApiResults.Ok(http, page.Select(DeliveryResponse).ToList(),
            new PageInfo(filter.Limit, hasMore, hasMore ? WebhookDeliveryQuery.CursorFor(page[^1]) : null));
    }

    private static async Task<Results<Accepted<SuccessEnvelope<ReplayRangeResponse>>, ApiError>> ReplayRange(
        Guid id, ReplayRangeRequest request, WebhookEndpoints endpoints, WebhookDeliveryLog log, HttpContext http, CancellationToken ct)
    {
        var (from, to) = (request.From!.Value.UtcDateTime, request.To!.Value.UtcDateTime);
        if (from >= to)
        {
            return ApiError.Validation("to", "to must be after from.");
        }

        if (await endpoints.FindAsync(id, ct) is not { } endpoint)
        {
            return NotFound();
        }

        if (!endpoint.Enabled)
        {
            return Disabled("replaying deliveries");
        }

        var replays = await log.ReplayFailedAsync(id, from, to, ct);
        return TypedResults.Accepted((string?)null, Wrap(http, new ReplayRangeResponse(replays.Count, replays.Select(DeliveryResponse).ToList())));
    }

    private static async Task<Results<Accepted<SuccessEnvelope<WebhookDeliveryResponse>>, ApiError>> ReplayOne(
        Guid id, WebhookEndpoints endpoints, WebhookDeliveryLog log, HttpContext http, CancellationToken ct)
    {
        if (await log.FindAsync(id, ct) is not { } original)
        {
            return ApiError.NotFound("Webhook delivery");
        }

        if (await endpoints.FindAsync(original.EndpointId, ct) is { Enabled: false })
        {
            return Disabled("replaying deliveries");
        }

        return await log.ReplayAsync(original, ct) is { } replay
            ? Accepted(http, replay)
            : ApiError.Conflict("The delivery's endpoint was deleted; nothing can be sent to it.");
    }

    public static WebhookDeliveryResponse DeliveryResponse(WebhookDelivery d) => new(d.Id, d.EndpointId, WebhookIds.Format(d.EventId), d.EventType,
        d.Status.ToString().ToLowerInvariant(), d.Attempts, d.StatusCode, d.LatencyMs, d.ResponseExcerpt, d.Error, d.CreatedAt, d.LastAttemptAt,
        d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.CompletedAt);

    private static Accepted<SuccessEnvelope<WebhookDeliveryResponse>> Accepted(HttpContext http, WebhookDelivery delivery) =>
        TypedResults.Accepted((string?)null, Wrap(http, DeliveryResponse(delivery)));

    private static SuccessEnvelope<T> Wrap<T>(HttpContext http, T data) => new(data, new ResponseMeta(http.TraceIdentifier));

    private static ApiError NotFound() => ApiError.NotFound("Webhook endpoint");

    /// <summary>409: nothing is queued for a disabled endpoint, since the dispatcher would only abandon it.</summary>
    private static ApiError Disabled(string action) => ApiError.Conflict($"The endpoint is disabled: enable it before {action}.");
}
