using PenguinMails.Http;

namespace PenguinMails.Webhooks;

/// <summary>GET /webhooks: oldest first, cursor-paged.</summary>
public sealed record WebhookListQuery(int? Limit, string? Cursor)
{
    public ApiError? Validate(out Cursor? cursor) => Paging.ValidateByTime(Limit, Cursor, out cursor);

    public static string CursorFor(WebhookEndpoint last) => Http.Cursor.At(last.CreatedAt, last.Id).Encode();
}

/// <summary>
/// GET /webhooks/{id}/deliveries: newest first; <c>status</c> pending, succeeded or failed; <c>event_type</c>; <c>from</c>
/// and <c>to</c> (RFC 3339 with a zone) bound the creation time, [from, to).
/// </summary>
public sealed record WebhookDeliveryQuery(
    [property: OneOf(typeof(WebhookDeliveryStatus))] string? Status,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "event_type"), OneOf(typeof(WebhookEventTypes), nameof(WebhookEventTypes.All))] string? EventType, string? From, string? To, int? Limit, string? Cursor)
{
    public ApiError? Validate(out WebhookDeliveryLog.Filter filter)
    {
        var details = Paging.ValidateByTime(Limit, Cursor, out var cursor)?.Details.ToList() ?? [];
        var status = QueryChoices.Check<WebhookDeliveryStatus>(Status, "status", details);
        var eventType = QueryChoices.Check(EventType, "event_type", WebhookEventTypes.All, details);

        var from = Timestamps.FromQuery("from", From, details);
        var to = Timestamps.FromQuery("to", To, details);
        if (from is not null && to is not null && from >= to)
        {
            details.Add(new ErrorDetail("to", "to must be after from."));
        }

        filter = new WebhookDeliveryLog.Filter(status, eventType, from, to, Limit ?? Paging.DefaultLimit, cursor);
        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }

    public static string CursorFor(WebhookDelivery last) => Http.Cursor.At(last.CreatedAt, last.Id).Encode();
}
