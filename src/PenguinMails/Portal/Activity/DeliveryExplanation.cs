using System.Globalization;
using System.Text.RegularExpressions;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Suppressions;

namespace PenguinMails.Portal.Activity;

/// <summary>
/// The message page's plain sentence for each recipient that was not simply sent: why it was suppressed (the list's
/// entry, its reason, since when, and the bounce or complaint that put it there), bounced (the receiving server's RFC 3463
/// status and words, at sending or in a later report), deferred or failed, or complained. Built from what is stored — the
/// recipient's status and detail, the message's events and attempts, the suppression list — so events recorded later by
/// any source (relay replies, ESP webhooks, DSN and ARF reports) are explained the same way.
/// </summary>
public static partial class DeliveryExplanation
{
    /// <summary>Recipient email → sentence; recipients with nothing to explain are absent.</summary>
    public static async Task<Dictionary<string, string>> ForAsync(AppDb db, EmailMessage message, IReadOnlyList<EmailEvent> events,
        IReadOnlyList<DeliveryAttempt> attempts, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var emails = message.Recipients.Select(r => r.Email).Distinct().ToList();
        var entries = await db.Suppressions.AsNoTracking().Where(s => emails.Contains(s.Email)).ToDictionaryAsync(s => s.Email, ct);
        foreach (var recipient in message.Recipients)
        {
            var mine = events.Where(e => e.Recipient == recipient.Email).ToList();
            var sentence = recipient.Status switch
            {
                RecipientStatus.Suppressed => await SuppressedAsync(db, recipient.Email, entries.GetValueOrDefault(recipient.Email), ct),
                RecipientStatus.Bounced => Bounced(message, mine, attempts, recipient.Detail) + Listed(entries.ContainsKey(recipient.Email)),
                RecipientStatus.Failed => Failed(mine, recipient.Detail),
                RecipientStatus.Pending when message.Status == EmailStatus.Deferred => Deferred(message, events, recipient),
                _ => null,
            };
            if (mine.LastOrDefault(e => e.Type == EmailEventType.Complained) is { } complaint)
            {
                sentence = (sentence is null ? "" : sentence + " ") + Complained(message, complaint) + Listed(entries.ContainsKey(recipient.Email));
            }

            if (sentence is not null)
            {
                result[recipient.Email] = sentence;
            }
        }

        return result;
    }

    private static async Task<string> SuppressedAsync(AppDb db, string email, Suppression? entry, CancellationToken ct)
    {
        if (entry is null)
        {
            return $"Not sent: {email} was on your suppression list when this message was to be sent; it has been removed since, so new messages to it are sent.";
        }

        var since = Day(entry.CreatedAt);
        var cause = entry.Reason switch
        {
            SuppressionReason.HardBounce => "an earlier message hard-bounced",
            SuppressionReason.Complaint => "the recipient marked an earlier message as spam",
            SuppressionReason.Unsubscribe => "the recipient unsubscribed",
            _ => entry.Source == SuppressionPages.PortalSource ? "it was added by hand in the portal"
                : entry.Source == "api" ? "it was added through the API" : "it was added by hand",
        };
        var origin = entry.Reason is SuppressionReason.HardBounce or SuppressionReason.Complaint
            ? await OriginAsync(db, email, entry, ct) : null;
        var note = string.IsNullOrWhiteSpace(entry.Note) ? "" : $" Note: “{entry.Note}”.";
        return $"Not sent: {email} is on your suppression list since {since} because {cause}{(origin is null ? "" : $" ({origin})")}.{note}";
    }

    /// <summary>The reply or report of the bounce (or the complaint) that most likely listed the address: the last one before the entry.</summary>
    public static async Task<string?> OriginAsync(AppDb db, string email, Suppression entry, CancellationToken ct)
    {
        var type = entry.Reason == SuppressionReason.HardBounce ? EmailEventType.Bounced : EmailEventType.Complained;
        var until = entry.CreatedAt.AddSeconds(1);
        var detail = await db.EmailEvents.AsNoTracking().Where(e => e.Recipient == email && e.Type == type && e.At <= until)
            .OrderByDescending(e => e.At).Select(e => e.Detail).FirstOrDefaultAsync(ct);
        return string.IsNullOrWhiteSpace(detail) ? null : Clip(detail);
    }

    private static string Bounced(EmailMessage message, List<EmailEvent> mine, IReadOnlyList<DeliveryAttempt> attempts, string? detail)
    {
        var bounce = mine.LastOrDefault(e => e.Type == EmailEventType.Bounced);
        var text = bounce?.Detail ?? detail;
        var status = StatusOf(text);
        var what = status is null ? "the recipient's server refused it permanently" : $"the recipient's server reported {status}{Meaning(status)}";
        var atSending = bounce is null || attempts.Any(a => a.Outcome == "bounced" && Math.Abs((a.StartedAt - bounce.At).TotalSeconds) < 60)
            || message.SentAt is not { } sent || bounce.At - sent < TimeSpan.FromMinutes(1);
        var when = atSending ? " when the message was handed over" : $" in a bounce report received {Span(bounce!.At - message.SentAt!.Value)} after sending";
        return $"Bounced: {what}{when}{Quote(text)}.";
    }

    private static string Listed(bool listed) =>
        listed ? " The address is on your suppression list: it is not mailed again." : " The address is not on your suppression list.";

    private static string Failed(List<EmailEvent> mine, string? detail)
    {
        var text = mine.LastOrDefault(e => e.Type == EmailEventType.Failed)?.Detail ?? detail;
        if (text?.StartsWith("gave up after", StringComparison.Ordinal) == true || text?.StartsWith("not delivered before the deadline", StringComparison.Ordinal) == true)
        {
            return $"Failed: the receiving server kept asking to try later, and the message was not delivered before its deadline{Quote(text)}. The address was not suppressed.";
        }

        return $"Failed: the message was refused for a reason that is not about the mailbox{Quote(text)}. The address was not suppressed: fix the cause and send again.";
    }

    private static string Deferred(EmailMessage message, IReadOnlyList<EmailEvent> events, EmailRecipient recipient)
    {
        var last = events.LastOrDefault(e => e.Type == EmailEventType.Deferred && (e.Recipient is null || e.Recipient == recipient.Email));
        var next = message.NextAttemptAt.ToString("MMM d 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return $"Deferred: the receiving server asked to try again later{Quote(recipient.Detail ?? last?.Detail)}. The next attempt is on {next}; "
            + $"the message fails if it is not delivered by {message.DeliverBy.ToString("MMM d 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture)}.";
    }

    private static string Complained(EmailMessage message, EmailEvent complaint)
    {
        var when = message.SentAt is { } sent && complaint.At > sent ? $" {Span(complaint.At - sent)} after sending" : "";
        return $"Complained: the recipient reported this message as spam{when}{Quote(complaint.Detail)}.";
    }

    /// <summary>The RFC 3463 enhanced status code in an SMTP reply or a DSN's Status field, e.g. 5.1.1.</summary>
    public static string? StatusOf(string? text) => text is null ? null : EnhancedStatus().Match(text) is { Success: true } m ? m.Value : null;

    private static string Meaning(string status) => status switch
    {
        "5.1.1" => " (the mailbox does not exist)",
        "5.1.2" => " (the domain does not exist or takes no mail)",
        "5.1.10" => " (the address's domain accepts no mail)",
        "5.2.1" => " (the mailbox is disabled)",
        "5.2.2" => " (the mailbox is full)",
        "5.4.4" => " (the domain cannot be reached)",
        "5.7.1" => " (refused by the server's policy)",
        _ when status.StartsWith("5.1.", StringComparison.Ordinal) => " (an addressing problem)",
        _ when status.StartsWith("5.2.", StringComparison.Ordinal) => " (a mailbox problem)",
        _ when status.StartsWith("5.7.", StringComparison.Ordinal) => " (refused for security or policy)",
        _ => "",
    };

    private static string Quote(string? text) => string.IsNullOrWhiteSpace(text) ? "" : $": “{Clip(text)}”";

    private static string Clip(string text)
    {
        var flat = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return TextClip.Shortened(flat, 300);
    }

    public static string Day(DateTime utc) => utc.ToString("MMM d, yyyy", CultureInfo.InvariantCulture);

    /// <summary>"40 s", "12 min", "2 h", "3 days".</summary>
    public static string Span(TimeSpan span) =>
        span.TotalSeconds < 59.5 ? $"{Math.Max(0, (int)Math.Round(span.TotalSeconds))} s"
        : span.TotalMinutes < 59.5 ? $"{(int)Math.Round(span.TotalMinutes)} min"
        : span.TotalHours < 47.5 ? $"{(int)Math.Round(span.TotalHours)} h"
        : $"{(int)Math.Round(span.TotalDays)} days";

    [GeneratedRegex(@"(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?![\d.])")]
    private static partial Regex EnhancedStatus();
}
