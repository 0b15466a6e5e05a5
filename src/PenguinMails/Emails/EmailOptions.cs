namespace PenguinMails.Emails;

/// <summary>What the send API accepts (section <c>PenguinMails:Emails</c>).</summary>
public sealed class EmailOptions
{
    /// <summary>Sender used when a request names no <c>from</c> and the tenant has no default sender of its own.</summary>
    public string DefaultFrom { get; set; } = "";

    /// <summary>Largest message accepted: subject, bodies and headers together, in bytes (UTF-8).</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Most recipients (to, cc and bcc together) of one message.</summary>
    public int MaxRecipients { get; set; } = 50;

    /// <summary>Largest body of <c>POST /api/v1/emails/batch</c>, in bytes.</summary>
    public long MaxBatchRequestBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Furthest ahead <c>scheduled_at</c> may be, in days.</summary>
    public int MaxScheduleDays { get; set; } = 30;

    /// <summary>Most attachments (inline parts included) of one message.</summary>
    public int MaxAttachments { get; set; } = 20;

    /// <summary>
    /// Largest total of one message's attachments, decoded, in bytes. 15 MiB becomes about 20.6 MiB once base64-encoded
    /// for the wire, which with the largest bodies stays under the 25 MB that Gmail and most providers accept.
    /// </summary>
    public long MaxAttachmentBytes { get; set; } = 15L * 1024 * 1024;

    /// <summary>Days after a message's delivery (or final failure) its attachments' content is deleted; their names stay listed.</summary>
    public int AttachmentRetentionDays { get; set; } = 7;

    /// <summary>How often the attachment retention job runs, in minutes.</summary>
    public int AttachmentPruneMinutes { get; set; } = 60;
}
