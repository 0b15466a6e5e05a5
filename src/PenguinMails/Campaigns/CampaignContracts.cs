using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using PenguinMails.Http;

namespace PenguinMails.Campaigns;

/// <summary>Who receives a campaign: subscribed contacts with any of <c>tags</c>, or every subscribed contact (<c>all</c>).</summary>
public sealed record AudienceRequest
{
    public bool? All { get; init; }

    [MaxLength(50, ErrorMessage = "audience.tags may list at most 50 tags.")]
    public List<string>? Tags { get; init; }
}

/// <summary>
/// A new campaign (a draft). Content is a template (<c>template_id</c>, its slug, with default <c>variables</c>)
/// or inline <c>html_body</c>/<c>text_body</c>; subject and bodies are Handlebars and see each contact's
/// <c>email</c>, <c>first_name</c>, <c>last_name</c> and attributes over the default variables.
/// </summary>
public sealed record CreateCampaignRequest
{
    [Required(ErrorMessage = "name is required."), TextLength(200, MinimumLength = 1, ErrorMessage = "name must have 1 to 200 characters."), OneLine]
    public string Name { get; init; } = "";

    [TextLength(998, ErrorMessage = "subject must have at most 998 characters.")]
    public string? Subject { get; init; }

    /// <summary>The sender; absent = the tenant's default sender (see <see cref="Emails.DefaultSender"/>).</summary>
    public string? From { get; init; }

    [TextLength(100, ErrorMessage = "template_id must have at most 100 characters.")]
    public string? TemplateId { get; init; }

    public Dictionary<string, JsonNode?>? Variables { get; init; }
    public string? HtmlBody { get; init; }
    public string? TextBody { get; init; }

    // Braces are doubled: a validation message is a composite format string.
    [Required(ErrorMessage = "audience is required: {{\"tags\": [...]}} or {{\"all\": true}}.")]
    public AudienceRequest? Audience { get; init; }

    /// <summary>
    /// Never accepted (at most 0 items): campaigns carry no attachments (README "Attachments"): link to the file from
    /// the body instead.
    /// </summary>
    // Elements are JsonElement, not JsonNode: the validator walks the elements of a list, and a JsonNode's Root and Parent
    // lead it round in a circle.
    [Length(0, 0, ErrorMessage = "Campaigns take no attachments: link to the file from the body instead.")]
    public List<JsonElement>? Attachments { get; init; }

    public bool? TrackOpens { get; init; }
    public bool? TrackClicks { get; init; }
}

/// <summary>
/// Changes to a draft or scheduled campaign; absent fields stay. Giving any of template_id, html_body or
/// text_body replaces the whole content with what is given.
/// </summary>
[PartialUpdate]
public sealed record UpdateCampaignRequest
{
    [TextLength(200, MinimumLength = 1, ErrorMessage = "name must have 1 to 200 characters."), OneLine]
    public string? Name { get; init; }

    [TextLength(998, ErrorMessage = "subject must have at most 998 characters.")]
    public string? Subject { get; init; }

    public string? From { get; init; }

    // The content is replaced as a whole when any of its three fields is sent: null is "not part of the new content".
    [TextLength(100, ErrorMessage = "template_id must have at most 100 characters."), NullClears]
    public string? TemplateId { get; init; }

    public Dictionary<string, JsonNode?>? Variables { get; init; }

    [NullClears]
    public string? HtmlBody { get; init; }

    [NullClears]
    public string? TextBody { get; init; }

    public AudienceRequest? Audience { get; init; }

    /// <summary>
    /// Never accepted (at most 0 items): campaigns carry no attachments (README "Attachments"): link to the file from
    /// the body instead.
    /// </summary>
    // Elements are JsonElement, not JsonNode: the validator walks the elements of a list, and a JsonNode's Root and Parent
    // lead it round in a circle.
    [Length(0, 0, ErrorMessage = "Campaigns take no attachments: link to the file from the body instead.")]
    public List<JsonElement>? Attachments { get; init; }
    public bool? TrackOpens { get; init; }
    public bool? TrackClicks { get; init; }
}

/// <summary><c>POST .../send</c> (no body, or a time) and <c>POST .../schedule</c> (a time).</summary>
public sealed record ScheduleCampaignRequest
{
    public DateTimeOffset? ScheduledAt { get; init; }
}

public sealed record AudienceView(bool All, IReadOnlyList<string> Tags);

/// <summary>
/// Where a campaign stands. <c>recipients</c>: messages queued so far (one per eligible contact); <c>skipped</c>:
/// audience contacts not mailed (suppressed, or missing a template variable); the rest count those messages by
/// their state: <c>pending</c> (not yet delivered: queued, deferred, held while paused, or being sent),
/// <c>delivered</c>, <c>bounced</c>, <c>failed</c>, <c>cancelled</c>.
/// </summary>
public sealed record CampaignProgress(
    int Recipients, int Skipped, int Pending, int Delivered, int Bounced, int Failed, int Cancelled, bool FanOutComplete);

/// <summary>
/// A campaign as the API shows it. <c>status_reason</c>: why the server itself changed the status (a campaign cancelled
/// because its template was deleted before it had been sent to its whole audience); null when a caller made every change.
/// </summary>
public sealed record CampaignView(
    string Id, string Name, string Status, string? StatusReason, string? Subject, string From, string? TemplateId,
    IReadOnlyDictionary<string, JsonNode?> Variables, string? HtmlBody, string? TextBody, AudienceView Audience,
    bool TrackOpens, bool TrackClicks, bool TestMode, IReadOnlyList<string> AllowedActions, CampaignProgress Progress,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? ScheduledAt, DateTime? StartedAt, DateTime? SentAt, DateTime? CancelledAt);
