using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PenguinMails.Emails;

public sealed record RecipientView(string Type, string Address, string Email, string Status, string? Detail);

public sealed record EventView(string Type, DateTime At, string? Recipient, string? Detail);

/// <summary>
/// One delivery attempt as a tenant sees it. <c>Node</c> is an opaque id of the server instance that made it (the same
/// for all its attempts), never its host name or process id; <c>SmtpCode</c> is null when no relay answered.
/// </summary>
public sealed record AttemptView(int Number, DateTime StartedAt, int DurationMs, string Outcome, int? SmtpCode, string? Response, string Node)
{
    public static string OpaqueNode(string node) =>
        "node_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node)))[..12];
}

public sealed record CountView(int Total, int Unique);

/// <summary>
/// A file sent with the email, never its content: <c>Size</c> in bytes (decoded); <c>ContentId</c> set for an inline
/// part; <c>ContentDeletedAt</c> when the retention period (Emails:AttachmentRetentionDays) removed the content.
/// </summary>
public sealed record AttachmentView(string Filename, string ContentType, long Size, string? ContentId, DateTime? ContentDeletedAt);

public sealed record TrackingView(CountView Opens, CountView Clicks);

/// <summary>
/// One email as <c>GET /api/v1/emails/{id}</c> shows it: its state, recipients, timeline and attempts.
/// <c>EspMessageId</c> is the id the tenant's ESP (Postmark, Mailgun) gave it; null when it went through the server's relay.
/// </summary>
public sealed record EmailView(
    string Id, string Status, string From, IReadOnlyList<RecipientView> Recipients, IReadOnlyList<string> ReplyTo,
    string Subject, string? TemplateId, IReadOnlyList<string> Tags, IReadOnlyDictionary<string, string> Metadata,
    bool TrackOpens, bool TrackClicks, bool TestMode, DateTime CreatedAt, DateTime? ScheduledAt, DateTime? SentAt,
    DateTime? NextAttemptAt, int Attempts, string? LastError, string? EspMessageId, TrackingView Tracking,
    IReadOnlyList<EventView> Events, IReadOnlyList<AttemptView> DeliveryAttempts, IReadOnlyList<AttachmentView> Attachments);

/// <summary>An email in a list: enough to find it, without its timeline.</summary>
public sealed record EmailSummary(
    string Id, string Status, string From, IReadOnlyList<string> To, string Subject, IReadOnlyList<string> Tags,
    bool TestMode, DateTime CreatedAt, DateTime? ScheduledAt, DateTime? SentAt)
{
    public static EmailSummary Of(EmailMessage m) => new(
        EmailIds.Format(m.Id), Name(m.Status), m.From,
        m.Recipients.Where(r => r.Kind == RecipientKind.To).Select(r => r.Address).ToList(),
        m.Subject, m.Tags, m.IsTest, m.CreatedAt, m.ScheduledAt, m.SentAt);

    internal static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}

internal static class EmailViewMapper
{
    public static EmailView From(EmailMessage m, List<EmailEvent> events, List<DeliveryAttempt> attempts, List<AttachmentView> attachments) => new(
        EmailIds.Format(m.Id), EmailSummary.Name(m.Status), m.From,
        m.Recipients.OrderBy(r => r.Kind).Select(r => new RecipientView(EmailSummary.Name(r.Kind), r.Address, r.Email,
            EmailSummary.Name(r.Status), r.Detail)).ToList(),
        m.ReplyTo, m.Subject, m.TemplateId, m.Tags,
        m.MetadataJson is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(m.MetadataJson)!,
        m.TrackOpens, m.TrackClicks, m.IsTest, m.CreatedAt, m.ScheduledAt, m.SentAt,
        m.Status is EmailStatus.Queued or EmailStatus.Deferred ? m.NextAttemptAt : null, m.Attempts, m.LastError, m.EspMessageId,
        new TrackingView(Count(events, EmailEventType.Opened), Count(events, EmailEventType.Clicked)),
        events.Select(e => new EventView(EmailSummary.Name(e.Type), e.At, e.Recipient, e.Detail)).ToList(),
        attempts.Select(a => new AttemptView(a.Number, a.StartedAt, a.DurationMs, a.Outcome, a.SmtpCode, a.Response, AttemptView.OpaqueNode(a.Node))).ToList(),
        attachments);

    /// <summary>Unique = distinct client addresses for opens, distinct client address and link for clicks (see Tracking.ClientAddresses).</summary>
    private static CountView Count(List<EmailEvent> events, EmailEventType type)
    {
        var matching = events.Where(e => e.Type == type).ToList();
        return new CountView(matching.Count, matching.Select(e => (e.Client, type == EmailEventType.Clicked ? e.Detail : null)).Distinct().Count());
    }
}
