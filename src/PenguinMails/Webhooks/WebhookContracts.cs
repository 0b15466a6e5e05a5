using System.ComponentModel.DataAnnotations;
using PenguinMails.Http;

namespace PenguinMails.Webhooks;

/// <summary>
/// A new endpoint. <c>events</c>: event types, or <c>["*"]</c> for all (also when omitted); an empty list is refused
/// (400 at <c>events</c>), as in a PATCH, rather than taken for all. <c>environment</c>: live (default) or test; <c>headers</c>: sent with every delivery (at most 20; not hop-by-hop, Host, Content-*, or webhook-*).
/// </summary>
public sealed record CreateWebhookRequest
{
    [Required(ErrorMessage = "url is required."), TextLength(2048, MinimumLength = 1, ErrorMessage = "url must have 1 to 2048 characters.")]
    public string Url { get; init; } = "";

    [TextLength(500, ErrorMessage = "description must have at most 500 characters.")]
    public string? Description { get; init; }

    [MinLength(1, ErrorMessage = EmptyEvents), MaxLength(50, ErrorMessage = "events may list at most 50 entries."), KnownEventTypes]
    public List<string>? Events { get; init; }

    [AllowedValues("live", "test", null, ErrorMessage = "environment must be live or test.")]
    public string? Environment { get; init; }

    public bool? Enabled { get; init; }

    [WebhookHeaders]
    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>The refusal of <c>"events": []</c>, the same on create and update.</summary>
    internal const string EmptyEvents = "events must not be empty; use [\"*\"] for all.";
}

/// <summary>
/// Changes to an endpoint; absent fields stay as they are. <c>headers</c> replaces all custom headers; a value of
/// <c>********</c> keeps that header's stored value.
/// </summary>
[PartialUpdate]
public sealed record UpdateWebhookRequest
{
    [TextLength(2048, MinimumLength = 1, ErrorMessage = "url must have 1 to 2048 characters.")]
    public string? Url { get; init; }

    [TextLength(500, ErrorMessage = "description must have at most 500 characters."), NullClears]
    public string? Description { get; init; }

    [MinLength(1, ErrorMessage = CreateWebhookRequest.EmptyEvents), MaxLength(50, ErrorMessage = "events may list at most 50 entries."), KnownEventTypes]
    public List<string>? Events { get; init; }

    [AllowedValues("live", "test", null, ErrorMessage = "environment must be live or test.")]
    public string? Environment { get; init; }

    public bool? Enabled { get; init; }

    [WebhookHeaders, NullClears]
    public Dictionary<string, string>? Headers { get; init; }
}

/// <summary>
/// An endpoint as the API shows it; never its secret (only at creation and rotation), and its custom headers' names
/// each with <c>********</c> for a value.
/// </summary>
public sealed record WebhookResponse(Guid Id, string Url, string? Description, List<string> Events, string Environment, bool Enabled,
    string? DisabledReason, Dictionary<string, string> Headers, DateTime? PreviousSecretExpiresAt, DateTime? FailingSince,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>An endpoint with its signing secret: shown here once (creation) or after a rotation.</summary>
public sealed record WebhookWithSecretResponse(WebhookResponse Webhook, string Secret, string Warning)
{
    public const string CopyWarning = "Copy this signing secret now: it is not shown again.";
}

/// <summary>One line of the delivery log: one event to one endpoint, with its latest attempt.</summary>
public sealed record WebhookDeliveryResponse(Guid Id, Guid EndpointId, string EventId, string EventType, string Status, int Attempts,
    int? StatusCode, int? LatencyMs, string? ResponseExcerpt, string? Error, DateTime CreatedAt, DateTime? LastAttemptAt,
    DateTime? NextRetryAt, DateTime? CompletedAt);

/// <summary>Replay every failed delivery of the endpoint created in [from, to).</summary>
public sealed record ReplayRangeRequest
{
    [Required(ErrorMessage = "from is required.")]
    public DateTimeOffset? From { get; init; }

    [Required(ErrorMessage = "to is required.")]
    public DateTimeOffset? To { get; init; }
}

/// <summary>How many deliveries a range replay queued again.</summary>
public sealed record ReplayRangeResponse(int Replayed, List<WebhookDeliveryResponse> Deliveries);

/// <summary>An event type and what it means.</summary>
public sealed record WebhookEventTypeResponse(string Type, string Description);

/// <summary>Each entry is an event type of <see cref="WebhookEventTypes.All"/>, or <c>*</c> alone.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KnownEventTypesAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var list = value as List<string> ?? [];
        if (list.Contains("*") && list.Count > 1)
        {
            return new ValidationResult("events is either [\"*\"] or a list of event types, not both.");
        }

        var unknown = list.Where(t => t != "*" && !WebhookEventTypes.IsKnown(t)).ToList();
        return unknown.Count == 0 ? ValidationResult.Success : new ValidationResult(
            $"Not event types: {string.Join(", ", unknown)}. Known: {string.Join(", ", WebhookEventTypes.All)}.");
    }
}

/// <summary>The rules of <see cref="WebhookHeaderRules"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WebhookHeadersAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is Dictionary<string, string> headers && WebhookHeaderRules.Check(headers) is { } problem
            ? new ValidationResult(problem)
            : ValidationResult.Success;
}

/// <summary>
/// Custom headers a tenant may add: HTTP tokens as names (RFC 9110 section 5.6.2), values of printable ASCII, space and
/// tab (RFC 9110 section 5.5 without obs-text, which HttpClient refuses to send), at most 20 of at most 1,000 characters. Refused: hop-by-hop headers (RFC 9110 section 7.6.1), those the transport or
/// the signature owns (Host, Content-Type, Content-Length, Transfer-Encoding, Expect, User-Agent, webhook-*).
/// </summary>
public static class WebhookHeaderRules
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "trailers",
        "transfer-encoding", "upgrade", "host", "content-type", "content-length", "content-encoding", "expect", "user-agent",
        "cookie", "http2-settings",
    };

    /// <summary>Every problem of <paramref name="headers"/> in one message (each kind naming all its headers); null when none.</summary>
    public static string? Check(IReadOnlyDictionary<string, string> headers)
    {
        if (headers.Count > 20)
        {
            return "headers may hold at most 20 entries.";
        }

        var invalid = headers.Keys.Where(name => name.Length is 0 or > 100 || !name.All(IsTokenChar)).ToList();
        var reserved = headers.Keys.Except(invalid)
            .Where(name => Reserved.Contains(name) || name.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase)).ToList();
        var badValues = headers.Where(h => !invalid.Contains(h.Key) && !reserved.Contains(h.Key)
            && (h.Value is null || h.Value.Length > 1000 || !h.Value.All(c => c is '\t' or (>= ' ' and <= '~')))).Select(h => h.Key).ToList();
        var duplicates = headers.Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var problems = new List<string>();
        if (invalid.Count > 0)
        {
            problems.Add($"{Names(invalid)} {(invalid.Count == 1 ? "is not a valid header name" : "are not valid header names")}.");
        }

        if (reserved.Count > 0)
        {
            problems.Add($"{(reserved.Count == 1 ? "The header" : "The headers")} {Names(reserved)} cannot be set: hop-by-hop, Host, "
                + "Content-*, User-Agent and webhook-* headers belong to the delivery itself.");
        }

        if (badValues.Count > 0)
        {
            problems.Add($"The value of {Names(badValues)} must be at most 1000 printable ASCII characters (no control characters, no "
                + "characters beyond ASCII: HTTP clients refuse them in a header, so no delivery could be made).");
        }

        if (duplicates.Count > 0)
        {
            problems.Add($"{Names(duplicates)} {(duplicates.Count == 1 ? "is" : "are")} given twice (header names ignore case).");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static string Names(IEnumerable<string> names) =>
        string.Join(", ", names.Select(n => $"'{Data.TextClip.Shortened(n, 100)}'"));

    private static bool IsTokenChar(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
        or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
