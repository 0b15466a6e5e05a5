namespace PenguinMails.Http;

/// <summary>One error a client can receive: its code, HTTP status, the message people see and what to do.</summary>
public sealed record ErrorCode(string Code, int Status, string Message, string Remedy);

/// <summary>
/// Every error code the API can answer with. The messages are those of the spec's
/// "Edge Cases and Error Handling" table where it has one.
/// </summary>
public static class ErrorCodes
{
    public static readonly ErrorCode AuthenticationRequired = new("AUTHENTICATION_REQUIRED", 401,
        "Authentication required. Send your API key as 'Authorization: Bearer pm_live_...'.",
        "Add an Authorization header with a Bearer API key. Keys are created under Settings → API Keys.");
    public static readonly ErrorCode InvalidApiKey = new("INVALID_API_KEY", 401,
        "API key is invalid or expired.",
        "Check that the whole key was copied. A key is shown only once, at creation; create a new one if it is lost.");
    public static readonly ErrorCode ApiKeyRevoked = new("API_KEY_REVOKED", 401,
        "This key has already been revoked and cannot be used.",
        "Create a new key, or use the key that replaced it if it was rotated.");
    public static readonly ErrorCode ApiKeyExpired = new("API_KEY_EXPIRED", 401,
        "This API key has expired. Create a new key in Settings → API Keys.",
        "Keys stop working at their expires_at; a rotated key stops 24 hours after rotation.");
    public static readonly ErrorCode ApiKeyInQueryString = new("API_KEY_IN_QUERY_STRING", 400,
        "API keys are not accepted in the query string. Send the key in the Authorization header.",
        "Query strings end up in logs and browser history. Treat a key sent that way as leaked and rotate it.");
    public static readonly ErrorCode HttpsRequired = new("HTTPS_REQUIRED", 403,
        "API keys are accepted over HTTPS only.",
        "Call the API over HTTPS. Plain HTTP is accepted only from loopback or through a configured TLS-terminating proxy.");
    public static readonly ErrorCode IpNotAllowed = new("IP_NOT_ALLOWED", 403,
        "Requests from this IP address are not allowed for this API key.",
        "Add the caller's address or range to the key's allowed IPs, or call from an allowed address.");
    public static readonly ErrorCode InsufficientPermissions = new("INSUFFICIENT_PERMISSIONS", 403,
        "Insufficient permissions. Update key permissions in settings.",
        "The details name the permission the endpoint needs; grant it to the key or use another key.");
    public static readonly ErrorCode ValidationError = new("VALIDATION_ERROR", 400,
        "The request is not valid. See details for every failing field.",
        "Each entry of details names a field and what is wrong with it.");
    public static readonly ErrorCode MissingRequiredField = new("MISSING_REQUIRED_FIELD", 400,
        "A required field is missing.",
        "Send every field the endpoint marks as required.");
    public static readonly ErrorCode MalformedJson = new("MALFORMED_JSON", 400,
        "The request body is not valid JSON.",
        "Send a well-formed JSON document; the details say where parsing stopped.");
    public static readonly ErrorCode UnsupportedMediaType = new("UNSUPPORTED_MEDIA_TYPE", 415,
        "The request body must be sent as application/json.",
        "Set 'Content-Type: application/json'.");
    public static readonly ErrorCode PayloadTooLarge = new("PAYLOAD_TOO_LARGE", 413,
        "The request body is too large.",
        "Split the request, or use the batch endpoints for many items.");
    public static readonly ErrorCode RateLimitExceeded = new("RATE_LIMIT_EXCEEDED", 429,
        "Rate limit exceeded. Upgrade plan for higher limits.",
        "Wait for the number of seconds in Retry-After (also retry_after in details), then retry. Limits are per tenant and plan.");
    public static readonly ErrorCode ResourceNotFound = new("RESOURCE_NOT_FOUND", 404,
        "The requested resource was not found.",
        "Check the id. Resources of other tenants are never visible.");
    public static readonly ErrorCode RouteNotFound = new("ROUTE_NOT_FOUND", 404,
        "No API endpoint matches this path.",
        "Check the path against the API reference at /docs/api. The public API lives under /api/v1/.");
    public static readonly ErrorCode MethodNotAllowed = new("METHOD_NOT_ALLOWED", 405,
        "This endpoint does not accept this HTTP method.",
        "The Allow header lists the methods the endpoint accepts.");
    public static readonly ErrorCode ResourceConflict = new("RESOURCE_CONFLICT", 409,
        "The request conflicts with the current state of the resource.",
        "Read the resource again and retry with its current state.");
    public static readonly ErrorCode ImportStopped = new("IMPORT_STOPPED", 400,
        "The import stopped before the end of the file.",
        "The rows before the one named in the message were imported. Fix the file and import it again: importing is an upsert, so rows already imported are updated, not duplicated.");
    public static readonly ErrorCode IdempotencyKeyReused = new("IDEMPOTENCY_KEY_REUSED", 422,
        "This Idempotency-Key was already used with a different request.",
        "Use a new key for a new request; a key stands for one request for 24 hours.");
    public static readonly ErrorCode IdempotencyKeyInFlight = new("IDEMPOTENCY_KEY_IN_FLIGHT", 409,
        "A request with this Idempotency-Key is still being processed.",
        "Wait for the first request to finish, then retry with the same key to get its answer.");
    public static readonly ErrorCode TemplateNotFound = new("TEMPLATE_NOT_FOUND", 422,
        "The template named by the request does not exist.",
        "Check template_id against GET /api/v1/templates; slugs are per tenant. Create the template first, or send subject and html_body instead.");
    public static readonly ErrorCode MissingTemplateVariables = new("MISSING_TEMPLATE_VARIABLES", 422,
        "The template needs variables the request did not give.",
        "Each entry of details names a missing variable (variables.NAME). Add them to variables, or declare them optional on the template.");
    public static readonly ErrorCode EmailNotCancellable = new("EMAIL_NOT_CANCELLABLE", 409,
        "This email can no longer be cancelled.",
        "Only emails not yet handed to the relay (queued, scheduled or deferred) can be cancelled.");
    public static readonly ErrorCode AttachmentTypeNotAllowed = new("ATTACHMENT_TYPE_NOT_ALLOWED", 422,
        "An attachment is of a type mail providers refuse (an executable or script).",
        "Each entry of details names the refused attachment (attachments[N].filename or .content). Providers also refuse archives that hold such files: share them as a download link instead.");
    public static readonly ErrorCode SenderDomainNotVerified = new("SENDER_DOMAIN_NOT_VERIFIED", 403,
        "The sender's domain is not a verified sending domain of this account.",
        "Add the domain (POST /api/v1/domains or Settings → Domains), publish the DNS records it lists, then POST /api/v1/domains/{id}/verify. Test keys may send from any address; they never deliver.");
    public static readonly ErrorCode WebhookUrlNotAllowed = new("WEBHOOK_URL_NOT_ALLOWED", 422,
        "The webhook URL does not point to an address webhooks may be sent to.",
        "Use an https URL whose host resolves to public addresses only; private, loopback, link-local, CGNAT, multicast and metadata addresses are refused unless the operator allows the range (PenguinMails:Webhooks:AllowedPrivateRanges).");
    public static readonly ErrorCode InvalidInboundToken = new("INVALID_INBOUND_TOKEN", 401,
        "The inbound token is missing or wrong.",
        "Send the installation's PenguinMails:Bounces:InboundToken as 'Authorization: Bearer <token>'. This endpoint is for the operator's MTA, not for API keys.");
    public static readonly ErrorCode NotADeliveryReport = new("NOT_A_DELIVERY_REPORT", 400,
        "The body is not a delivery status notification (RFC 3464) or a feedback report (RFC 5965).",
        "Post the raw RFC 5322 message as the MTA received it: a multipart/report with a message/delivery-status or message/feedback-report part.");
    public static readonly ErrorCode ReportNotMappable = new("REPORT_NOT_MAPPABLE", 422,
        "The report names no message of this installation.",
        "Reports are matched by the signed return path bounces+<token>@<bounce domain> that PenguinMails puts on every message; a report for mail sent otherwise, or whose return path was altered, cannot be matched.");
    public static readonly ErrorCode InternalServerError = new("INTERNAL_SERVER_ERROR", 500,
        "An unexpected error occurred. Quote the request_id when contacting support.",
        "Retry with backoff; if it persists, report the request_id.");
    public static readonly ErrorCode ServiceUnavailable = new("SERVICE_UNAVAILABLE", 503,
        "The service is temporarily unavailable.",
        "Retry with backoff.");

    public static readonly IReadOnlyList<ErrorCode> All =
    [
        AuthenticationRequired, InvalidApiKey, ApiKeyRevoked, ApiKeyExpired, ApiKeyInQueryString, HttpsRequired,
        IpNotAllowed, InsufficientPermissions, ValidationError, MissingRequiredField, MalformedJson,
        UnsupportedMediaType, PayloadTooLarge, RateLimitExceeded, ResourceNotFound, RouteNotFound, MethodNotAllowed,
        ResourceConflict, ImportStopped, IdempotencyKeyReused, IdempotencyKeyInFlight, TemplateNotFound, MissingTemplateVariables,
        EmailNotCancellable, SenderDomainNotVerified, WebhookUrlNotAllowed, InternalServerError, ServiceUnavailable,
        AttachmentTypeNotAllowed, InvalidInboundToken, NotADeliveryReport, ReportNotMappable,
    ];

    public static ErrorCode ForStatus(int status) => status switch
    {
        400 => ValidationError,
        401 => AuthenticationRequired,
        403 => InsufficientPermissions,
        404 => RouteNotFound,
        405 => MethodNotAllowed,
        409 => ResourceConflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimitExceeded,
        503 => ServiceUnavailable,
        _ when status >= 500 => InternalServerError,
        _ => ValidationError,
    };
}
