using PenguinMails.Tenancy;

namespace PenguinMails.Emails;

/// <summary>Something that happened to a message: its timeline, and the source of open and click counts.</summary>
public sealed class EmailEvent : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid MessageId { get; init; }
    public EmailEventType Type { get; init; }
    public DateTime At { get; init; }

    /// <summary>The recipient concerned, when the event concerns one.</summary>
    public string? Recipient { get; init; }

    /// <summary>SMTP reply, reason, or the clicked URL.</summary>
    public string? Detail { get; init; }

    /// <summary>For opens and clicks: a keyed hash of the client's address (Tracking.ClientAddresses) that counts unique ones.</summary>
    public string? Client { get; init; }
}

public enum EmailEventType
{
    Queued,
    Sent,
    Deferred,
    Bounced,
    Failed,
    Suppressed,
    Opened,
    Clicked,
    Complained,
    Unsubscribed,
    Cancelled,

    /// <summary>The tenant's ESP (Postmark, Mailgun) reports the receiving server took the message.</summary>
    Delivered,
}
