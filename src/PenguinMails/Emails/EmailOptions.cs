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
}
