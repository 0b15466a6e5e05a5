using System.Net;
using System.Text.Json.Serialization;
using MimeKit;
using PenguinMails.Delivery;

namespace PenguinMails.Esp;

/// <summary>
/// Delivery through Postmark's batch email API, <c>POST /email/batch</c> with <c>X-Postmark-Server-Token</c>
/// (https://postmarkapp.com/developer/user-guide/send-email-with-api/batch-emails). Postmark allows 50 recipients per
/// message (To, Cc and Bcc together), so a message with more (<c>Emails:MaxRecipients</c> raised above 50) goes as one
/// Postmark message per 50 recipients, all in one call; the batch answers 200 with one result per message, in order,
/// each with its own ErrorCode, which is judged for that message's recipients alone. Postmark takes fields, not MIME: From, To,
/// Cc, Bcc (the envelope recipients that are in neither header), Subject, HtmlBody, TextBody, ReplyTo, Headers (our
/// custom ones, Message-ID, List-Unsubscribe and X-PenguinMails-Id), Attachments, MessageStream and our id in Metadata.
/// Postmark signs with the domain's DKIM key it holds, so ours is not sent; our own open and link tracking stays in the
/// bodies and Postmark's is off. Answers (https://postmarkapp.com/developer/api/overview#error-codes): ErrorCode 0
/// accepted; 406 inactive recipient (Postmark saw it hard-bounce or complain) bounces and suppresses; 300 invalid
/// request fails; 10 (bad token) and the account's sender-signature and approval codes are configuration errors,
/// retried until fixed or the deadline, with the reason visible in the attempt; 429 and 5xx are retried
/// after Retry-After when given.
/// </summary>
public sealed class PostmarkTransport(HttpClient http, EspOptions options, EspConfig config, TimeProvider time) : IMailTransport
{
    private const string Service = "Postmark";

    /// <summary>Headers Postmark builds from its own fields, or must not receive (it signs with its own DKIM key).</summary>
    private static readonly HashSet<string> OwnHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Subject", "Reply-To", "Date", "MIME-Version", "Content-Type", "Content-Transfer-Encoding",
        "DKIM-Signature",
    };

    /// <summary>Postmark's codes for an account or sender not (yet) allowed to send: fixable by the tenant, so retried.</summary>
    private static readonly HashSet<int> ConfigurationCodes = [10, 400, 401, 405, 412, 413];

    /// <summary>Property names as declared (Postmark's PascalCase), not the web default's camelCase.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions AsWritten = new();

    /// <summary>Postmark's limit of recipients per message (its ErrorCode 300 above it).</summary>
    public const int RecipientsPerMessage = 50;

    public async Task<TransportResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(config.PostmarkToken))
        {
            return TransportResult.Failed(ReplyVerdict.Retry, null, "Postmark is the tenant's transport but no server token is set");
        }

        var parts = recipients.Chunk(RecipientsPerMessage).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, options.PostmarkBaseUrl.TrimEnd('/') + "/email/batch")
        {
            Content = JsonContent.Create(parts.Select(part => Body(message, part)).ToList(), options: AsWritten),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("X-Postmark-Server-Token", config.PostmarkToken);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return response.IsSuccessStatusCode && EspHttp.TryParseArray(text) is { Count: var count } results && count == parts.Count
                ? Combine(parts, results)
                : JudgeRequest(response, text, recipients);
        }
        catch (Exception e) when (EspHttp.IsTransient(e, ct))
        {
            return EspHttp.Unreachable(Service, e);
        }
    }

    /// <summary>
    /// One result per Postmark message: accepted parts make the message sent (the first MessageID is recorded; every part
    /// carries our id in its Metadata, so the event webhooks of each map back), the recipients of refused parts are refused
    /// with that part's verdict. When no part was accepted, the message's verdict is the most hopeful of theirs.
    /// </summary>
    private static TransportResult Combine(List<MailboxAddress[]> parts, IReadOnlyList<System.Text.Json.JsonElement?> results)
    {
        var refused = new Dictionary<string, RecipientRefusal>(StringComparer.OrdinalIgnoreCase);
        var accepted = new List<string>();
        for (var i = 0; i < parts.Count; i++)
        {
            var (code, said) = (results[i].Number("ErrorCode"), results[i].Text("Message") ?? "");
            var answer = $"Postmark answered 200, ErrorCode {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {said}";
            if (code == 0 && results[i].Text("MessageID") is { Length: > 0 } id)
            {
                accepted.Add(id);
                continue;
            }

            var verdict = Verdict(code);
            foreach (var (address, refusal) in verdict == ReplyVerdict.MailboxBounce ? Inactive(parts[i], said, answer).Refused : Everyone(parts[i], answer, verdict))
            {
                refused[address] = refusal;
            }
        }

        if (accepted.Count == 0)
        {
            return TransportResult.NoneAccepted(refused);
        }

        var ids = string.Join(", ", accepted);
        return TransportResult.Sent(null, $"Postmark answered 200, ErrorCode 0 (MessageID {ids})", refused) with { EspMessageId = accepted[0] };
    }

    private static ReplyVerdict Verdict(int? code) => code switch
    {
        406 => ReplyVerdict.MailboxBounce,
        { } c when ConfigurationCodes.Contains(c) => ReplyVerdict.Retry,
        _ => ReplyVerdict.Failed,
    };

    private static Dictionary<string, RecipientRefusal> Everyone(IEnumerable<MailboxAddress> part, string answer, ReplyVerdict verdict) =>
        part.ToDictionary(r => r.Address, _ => new RecipientRefusal(null,
            verdict == ReplyVerdict.Retry ? $"{answer} (a configuration error: check the tenant's Postmark settings)" : answer, verdict),
            StringComparer.OrdinalIgnoreCase);

    /// <summary>An answer that is not a batch result (a wrong token, invalid JSON, a rate limit, an outage): it is the whole call's.</summary>
    private TransportResult JudgeRequest(HttpResponseMessage response, string text, IReadOnlyList<MailboxAddress> recipients)
    {
        var json = EspHttp.TryParse(text);
        var (status, code, said) = ((int)response.StatusCode, json.Number("ErrorCode"), json.Text("Message") ?? EspHttp.Excerpt(text));
        var answer = $"Postmark answered {status}" + (code is { } c ? $", ErrorCode {c}: {said}" : $": {said}");
        if (EspHttp.IsRetryable(response.StatusCode))
        {
            return TransportResult.Failed(ReplyVerdict.Retry, null, answer) with { RetryAfter = EspHttp.RetryAfter(response, time.GetUtcNow()) };
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized || code is { } configuration && ConfigurationCodes.Contains(configuration))
        {
            return TransportResult.Failed(ReplyVerdict.Retry, null, $"{answer} (a configuration error: check the tenant's Postmark settings)");
        }

        return code == 406 ? Inactive(recipients, said, answer) : TransportResult.Failed(ReplyVerdict.Failed, null, answer);
    }

    /// <summary>
    /// 406 names the inactive addresses ("Found inactive addresses: a@x, b@y."): those bounce and are suppressed. The
    /// others did nothing wrong: they stay pending and the next attempt sends to them without the bounced ones. When it
    /// names none, every recipient bounces.
    /// </summary>
    private static TransportResult Inactive(IReadOnlyList<MailboxAddress> recipients, string said, string answer)
    {
        var named = recipients.Where(r => said.Contains(r.Address, StringComparison.OrdinalIgnoreCase)).Select(r => r.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var refused = recipients.ToDictionary(r => r.Address, r => named.Count == 0 || named.Contains(r.Address)
            ? new RecipientRefusal(null, answer, ReplyVerdict.MailboxBounce)
            : new RecipientRefusal(null, answer + " (this address is active: retried without the inactive ones)", ReplyVerdict.Retry),
            StringComparer.OrdinalIgnoreCase);
        return TransportResult.NoneAccepted(refused);
    }

    private PostmarkEmail Body(MimeMessage message, IReadOnlyList<MailboxAddress> recipients)
    {
        bool In(InternetAddressList list, MailboxAddress r) =>
            list.Mailboxes.Any(m => string.Equals(m.Address, r.Address, StringComparison.OrdinalIgnoreCase));
        var to = recipients.Where(r => In(message.To, r)).ToList();
        var cc = recipients.Where(r => !In(message.To, r) && In(message.Cc, r)).ToList();
        var bcc = recipients.Except(to).Except(cc).ToList();
        return new PostmarkEmail
        {
            From = Format(message.From.Mailboxes.First()),
            To = Join(to), Cc = Join(cc), Bcc = Join(bcc),
            ReplyTo = message.ReplyTo.Count > 0 ? Join(message.ReplyTo.Mailboxes) : null,
            Subject = message.Subject,
            HtmlBody = message.HtmlBody, TextBody = message.TextBody,
            Headers = message.Headers.Where(h => !OwnHeaders.Contains(h.Field)).Select(h => new PostmarkHeader(h.Field, h.Value.Trim())).ToList(),
            // Files and inline images (a Content-ID, referenced as cid: from the HTML); MimeKit's Attachments has only the former.
            Attachments = message.BodyParts.OfType<MimePart>().Where(p => p.IsAttachment || (p.ContentId is not null && p is not TextPart))
                .Select(Attachment).ToList(),
            MessageStream = config.PostmarkStream,
            Metadata = new Dictionary<string, string> { ["penguinmails_id"] = message.Headers["X-PenguinMails-Id"] ?? "" },
        };
    }

    private static PostmarkAttachment Attachment(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content?.DecodeTo(content);
        return new PostmarkAttachment(part.FileName ?? "attachment", Convert.ToBase64String(content.ToArray()), part.ContentType.MimeType,
            part.ContentId is { } cid ? "cid:" + cid : null);
    }

    private static string? Join(IEnumerable<MailboxAddress> mailboxes)
    {
        var list = mailboxes.Select(Format).ToList();
        return list.Count == 0 ? null : string.Join(", ", list);
    }

    /// <summary>Postmark takes "Name &lt;address&gt;" with the name quoted when it needs to be (RFC 5322 §3.4).</summary>
    private static string Format(MailboxAddress mailbox) => string.IsNullOrEmpty(mailbox.Name)
        ? mailbox.Address
        : $"\"{mailbox.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\" <{mailbox.Address}>";

    /// <summary>Postmark takes fields in JSON, not our header bytes, and writes the message itself.</summary>
    public Task<bool> CarriesUtf8HeadersAsync(CancellationToken ct) => Task.FromResult(true);

    public Task IdleAsync(CancellationToken ct) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The request body, with Postmark's own PascalCase names.</summary>
    private sealed class PostmarkEmail
    {
        public required string From { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? To { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Cc { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Bcc { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ReplyTo { get; init; }
        public string? Subject { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? HtmlBody { get; init; }
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? TextBody { get; init; }
        public List<PostmarkHeader> Headers { get; init; } = [];
        public List<PostmarkAttachment> Attachments { get; init; } = [];
        public bool TrackOpens { get; init; }
        public string TrackLinks { get; init; } = "None";
        public required string MessageStream { get; init; }
        public Dictionary<string, string> Metadata { get; init; } = [];
    }

    private sealed record PostmarkHeader(string Name, string Value);

    private sealed record PostmarkAttachment(string Name, string Content, string ContentType,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ContentID);
}
