using System.Text;
using PenguinMails.Emails.Attachments;
using PenguinMails.Http;

namespace PenguinMails.Emails;

/// <summary>
/// Checks a send request and lists every failing field: RFC 5322 addresses (MimeKit), no CR/LF in anything that
/// becomes a header, no custom header the server or receiving servers own (<see cref="CustomHeaders"/>), a subject
/// and a body unless a template is named, the total size, scheduled_at's window, the attachments
/// (<see cref="AttachmentValidator"/>).
/// </summary>
public sealed class EmailRequestValidator(EmailOptions options, DateTime now)
{
    /// <summary>How far in the past a <c>scheduled_at</c> may be and still mean "now".</summary>
    public static readonly TimeSpan PastTolerance = TimeSpan.FromHours(1);

    /// <summary>The failures (also in the errors list) that are attachments of a refused type.</summary>
    public List<ErrorDetail> Refused { get; } = [];

    public EmailDraft? Validate(SendEmailRequest request, string? defaultFrom, string prefix, List<ErrorDetail> errors)
    {
        var before = errors.Count;
        void Fail(string field, string message) => errors.Add(new ErrorDetail(prefix + field, $"{field} {message}"));

        var from = Mailbox(request.From ?? defaultFrom, "from", Fail, request.From is null);
        var recipients = new List<DraftRecipient>();
        AddRecipients(request.To, RecipientKind.To, "to", recipients, Fail);
        AddRecipients(request.Cc, RecipientKind.Cc, "cc", recipients, Fail);
        AddRecipients(request.Bcc, RecipientKind.Bcc, "bcc", recipients, Fail);
        if (request.To is null || request.To.Count == 0)
        {
            Fail("to", "is required: at least one recipient address.");
        }

        if (recipients.Count > options.MaxRecipients)
        {
            Fail("to", $"and cc and bcc together may name at most {options.MaxRecipients} recipients.");
        }

        var replyTo = new List<string>();
        foreach (var (text, i) in (request.ReplyTo ?? []).Select((t, i) => (t, i)))
        {
            if (Mailbox(text, $"reply_to[{i}]", Fail, false) is { } mailbox)
            {
                replyTo.Add(mailbox);
            }
        }

        CheckContent(request, Fail);
        CheckHeaders(request.Headers, Fail);
        CheckTags(request.Tags, Fail);
        CheckMetadata(request.Metadata, Fail);
        var scheduled = CheckSchedule(request.ScheduledAt, Fail);
        var attachments = AttachmentValidator.Validate(request.Attachments, options, Fail, (field, message) =>
        {
            Fail(field, message);
            Refused.Add(errors[^1]);
        });
        if (errors.Count > before || from is null)
        {
            return null;
        }

        return new EmailDraft
        {
            From = from, Recipients = recipients, ReplyTo = replyTo, Subject = request.Subject, HtmlBody = Given(request.HtmlBody),
            TextBody = Given(request.TextBody), TemplateId = request.TemplateId, Variables = request.Variables ?? [],
            Headers = request.Headers ?? [], Metadata = request.Metadata ?? [], Tags = request.Tags ?? [],
            TrackOpens = request.TrackOpens ?? true, TrackClicks = request.TrackClicks ?? true, ScheduledAt = scheduled,
            Attachments = attachments,
        };
    }

    private static string? Mailbox(string? text, string field, Action<string, string> fail, bool isDefault)
    {
        if (text is null)
        {
            fail(field, DefaultSender.Missing);
            return null;
        }

        var mailbox = EmailAddresses.TryParse(text, out var error);
        if (mailbox is null)
        {
            fail(field, isDefault ? "(the default sender) " + error : error!);
        }

        return mailbox?.ToString();
    }

    private static void AddRecipients(List<string>? addresses, RecipientKind kind, string field,
        List<DraftRecipient> into, Action<string, string> fail)
    {
        foreach (var (text, i) in (addresses ?? []).Select((t, i) => (t, i)))
        {
            var mailbox = EmailAddresses.TryParse(text, out var error);
            if (mailbox is null)
            {
                fail($"{field}[{i}]", error!);
            }
            else if (into.All(r => r.Email != EmailAddresses.Normalize(mailbox)))
            {
                into.Add(new DraftRecipient(kind, mailbox.ToString(), EmailAddresses.Normalize(mailbox)));
            }
        }
    }

    /// <summary>A body as given, or null when blank: a blank part is left out of the message (a template's then stands).</summary>
    private static string? Given(string? body) => string.IsNullOrWhiteSpace(body) ? null : body;

    private void CheckContent(SendEmailRequest request, Action<string, string> fail)
    {
        if (request.TemplateId is { } template)
        {
            if (template.Length is 0 or > 100 || template.Any(char.IsControl))
            {
                fail("template_id", "must have 1 to 100 printable characters.");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(request.Subject))
            {
                fail("subject", "is required unless template_id is given.");
            }

            // A body of only white space is no body: it would go out as a blank message.
            if (string.IsNullOrWhiteSpace(request.HtmlBody) && string.IsNullOrWhiteSpace(request.TextBody))
            {
                fail("html_body", "or text_body is required unless template_id is given, and must not be blank.");
            }
        }

        if (request.Subject is { } subject && HasLineBreak(subject))
        {
            fail("subject", "must not contain CR or LF.");
        }

        if (request.Subject is { } given && TextLengthAttribute.Count(given) > Templates.TemplateRules.SubjectMaxLength)
        {
            fail("subject", $"must have at most {Templates.TemplateRules.SubjectMaxLength} characters.");
        }

        long size = Encoding.UTF8.GetByteCount(request.Subject ?? "") + Encoding.UTF8.GetByteCount(request.HtmlBody ?? "")
            + Encoding.UTF8.GetByteCount(request.TextBody ?? "")
            + (request.Headers ?? []).Sum(h => Encoding.UTF8.GetByteCount(h.Key) + Encoding.UTF8.GetByteCount(h.Value ?? ""));
        if (size > options.MaxMessageBytes)
        {
            fail("html_body", $"with subject, text_body and headers is {size} bytes; the limit is {options.MaxMessageBytes}.");
        }
    }

    private static void CheckHeaders(Dictionary<string, string>? headers, Action<string, string> fail)
    {
        // Header names ignore case (RFC 5322 §1.2.2): "X-A" and "x-a" would both be written, one field given twice.
        foreach (var twice in (headers ?? []).Keys.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            fail($"headers.{twice.Key}", $"is given twice ({string.Join(", ", twice.Select(n => $"'{n}'"))}): header names ignore case.");
        }

        foreach (var (name, value) in headers ?? [])
        {
            if (name.Length is 0 or > 76 || name.Any(c => c is <= ' ' or >= '\x7f' or ':'))
            {
                fail($"headers.{name}", "is not a valid header name (printable ASCII without ':' or spaces).");
            }
            else if (CustomHeaders.IsReserved(name))
            {
                fail($"headers.{name}", "is written by the server or by receiving servers and cannot be given.");
            }
            else if (value is null || HasLineBreak(value) || value.Length > 998)
            {
                fail($"headers.{name}", "must be a value of at most 998 characters without CR or LF.");
            }
        }
    }

    private static void CheckTags(List<string>? tags, Action<string, string> fail)
    {
        if (tags is { Count: > 20 })
        {
            fail("tags", "may hold at most 20 tags.");
        }

        foreach (var (tag, i) in (tags ?? []).Select((t, i) => (t, i)))
        {
            if (tag is null || tag.Length is 0 or > 100 || tag.Any(char.IsControl))
            {
                fail($"tags[{i}]", "must have 1 to 100 printable characters.");
            }
        }
    }

    private static void CheckMetadata(Dictionary<string, string>? metadata, Action<string, string> fail)
    {
        if (metadata is { Count: > 50 })
        {
            fail("metadata", "may hold at most 50 entries.");
        }

        foreach (var (name, value) in metadata ?? [])
        {
            if (name.Length is 0 or > 100 || (value?.Length ?? 0) > 1000)
            {
                fail($"metadata.{name}", "must have a name of 1 to 100 characters and a value of at most 1000.");
            }
        }
    }

    private DateTime? CheckSchedule(DateTimeOffset? at, Action<string, string> fail)
    {
        if (at is not { } scheduled)
        {
            return null;
        }

        var utc = scheduled.UtcDateTime;
        if (utc > now.AddDays(options.MaxScheduleDays))
        {
            fail("scheduled_at", $"must be at most {options.MaxScheduleDays} days ahead.");
        }

        // A time just past (clock skew, a retry within the hour) means "now"; one further back is a mistake (a stale
        // value, a wrong year), not an instruction: sending at once would hide it.
        if (utc < now - PastTolerance)
        {
            fail("scheduled_at", $"is more than an hour in the past; omit it to send now, or give a time at most {options.MaxScheduleDays} days ahead.");
        }

        return utc > now ? utc : null;
    }

    private static bool HasLineBreak(string text) =>
        text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal);
}
