using PenguinMails.Tenancy;

namespace PenguinMails.Emails;

/// <summary>
/// A message accepted for delivery. It is written, with its recipients and its <c>queued</c> event, in one
/// transaction before the API answers; from then on the dispatcher owns it (docs/decisions/0004).
/// </summary>
public sealed class EmailMessage : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid? ApiKeyId { get; init; }

    /// <summary>Sent with a <c>pm_test_</c> key: simulated, never delivered.</summary>
    public bool IsTest { get; init; }

    public required string From { get; init; }
    public List<string> ReplyTo { get; init; } = [];
    public required string Subject { get; init; }
    public string? HtmlBody { get; init; }
    public string? TextBody { get; init; }
    public string? TemplateId { get; init; }

    /// <summary>Custom headers as a JSON object of name → value.</summary>
    public string? HeadersJson { get; init; }

    /// <summary>The caller's metadata as a JSON object of name → value; never sent in the message.</summary>
    public string? MetadataJson { get; init; }

    public List<string> Tags { get; init; } = [];
    public bool TrackOpens { get; init; }
    public bool TrackClicks { get; init; }

    public EmailStatus Status { get; set; } = EmailStatus.Queued;
    public DateTime CreatedAt { get; init; }
    public DateTime? ScheduledAt { get; init; }

    /// <summary>When the dispatcher may next take it: now, scheduled_at, or the retry time after a deferral.</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>After this, a message still not delivered fails.</summary>
    public DateTime DeliverBy { get; init; }

    public int Attempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>The id the tenant's ESP (Postmark, Mailgun) gave the message; its event webhooks name the message by it.</summary>
    public string? EspMessageId { get; set; }

    public List<EmailRecipient> Recipients { get; init; } = [];

    /// <summary>How many files the message carries; delivery reads them from <c>email_attachments</c> only when above 0.</summary>
    public int AttachmentCount { get; init; }

    /// <summary>Loaded only where asked for (the intake writes them; delivery reads them per message).</summary>
    public List<Attachments.EmailAttachment> Attachments { get; init; } = [];

    /// <summary>For a campaign's message: the campaign and the contact it was written for (at most one per contact).</summary>
    public Guid? CampaignId { get; init; }

    public Guid? ContactId { get; init; }

    /// <summary>Held because its sending domain failed verification (Domains/DomainHolds), not by a campaign's pause.</summary>
    public bool DomainHold { get; set; }
}

public enum EmailStatus
{
    Queued,
    Sending,
    Deferred,
    Sent,
    Bounced,
    Failed,
    Suppressed,
    Cancelled,

    /// <summary>A campaign's message kept out of the queue while its campaign is paused.</summary>
    Held,
}
