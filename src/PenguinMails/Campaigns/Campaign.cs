using PenguinMails.Tenancy;

namespace PenguinMails.Campaigns;

/// <summary>
/// One message to many contacts: content (a template with default variables, or inline HTML/text), an audience
/// (contacts with any of <see cref="AudienceTags"/>, or every subscribed contact when there are none) and the
/// fan-out's progress. The fan-out writes one queued email per eligible contact, keyset-paged over contacts by
/// id; <see cref="FanOutCursor"/> is committed with each batch (docs/decisions/0007-campaign-fan-out.md).
/// </summary>
public sealed class Campaign : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    /// <summary>Handlebars; with a template, null means the template's own subject.</summary>
    public string? Subject { get; set; }
    public required string From { get; set; }
    public string? TemplateSlug { get; set; }

    /// <summary>The template's default variables as a JSON object; a contact's own fields win over them.</summary>
    public string? VariablesJson { get; set; }

    public string? HtmlBody { get; set; }
    public string? TextBody { get; set; }
    public List<string> AudienceTags { get; set; } = [];
    public bool TrackOpens { get; set; } = true;
    public bool TrackClicks { get; set; } = true;

    public CampaignStatus Status { get; set; } = CampaignStatus.Draft;

    /// <summary>
    /// Why the server itself changed <see cref="Status"/>: a campaign cancelled because its template was deleted
    /// (<see cref="CampaignTemplates.Reason"/>); null for every change a caller made.
    /// </summary>
    public string? StatusReason { get; set; }

    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? ScheduledAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? CancelledAt { get; set; }

    /// <summary>Sent with a <c>pm_test_</c> key: its messages are simulated, never delivered.</summary>
    public bool IsTest { get; set; }

    /// <summary>Id of the last contact the fan-out has handled; the next batch starts after it.</summary>
    public Guid? FanOutCursor { get; set; }

    public bool FanOutComplete { get; set; }

    /// <summary>Messages written to the queue so far (one per eligible contact).</summary>
    public int RecipientCount { get; set; }

    /// <summary>Contacts of the audience not mailed: suppressed, or a template variable missing for them.</summary>
    public int SkippedCount { get; set; }

    /// <summary>The node fanning out the campaign, until <see cref="LeaseUntil"/>; no two nodes fan out one campaign.</summary>
    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }
}

public enum CampaignStatus
{
    Draft,
    Scheduled,
    Sending,
    Paused,
    Sent,
    Cancelled,
}
