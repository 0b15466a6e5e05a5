using System.Text.Json;
using Microsoft.Extensions.Options;
using MimeKit;
using PenguinMails.Emails;
using PenguinMails.Tracking;

namespace PenguinMails.Delivery;

/// <summary>
/// Builds the MIME message of a stored email: headers (custom ones included, Bcc never), both bodies, tracked
/// links and open pixel when asked, List-Unsubscribe with one-click POST (RFC 8058) and the same link wherever a body
/// asks for <c>{{unsubscribe_url}}</c> (<see cref="UnsubscribeLinks"/>), attachments (multipart/mixed) and inline
/// parts referenced by <c>cid:</c> (multipart/related, RFC 2387). The Message-ID derives from the email's id, so every
/// attempt of one email carries the same one and receivers can tell repeats.
/// </summary>
public sealed class MessageComposer(TrackingTokens tokens, IOptions<PenguinMailsOptions> options, TimeProvider time)
{
    private readonly string? _mailto = UnsubscribeLinks.MailtoAddress(options.Value.Tracking.UnsubscribeMailto);

    private string BaseUrl
    {
        get
        {
            var o = options.Value;
            var url = !string.IsNullOrWhiteSpace(o.Delivery.TrackingBaseUrl) ? o.Delivery.TrackingBaseUrl
                : !string.IsNullOrWhiteSpace(o.PublicUrl) ? o.PublicUrl : ServerApp.DefaultUrl;
            return url.TrimEnd('/');
        }
    }

    public MimeMessage Compose(EmailMessage email, IReadOnlyList<MimePart>? attachments = null)
    {
        var message = new MimeMessage();
        var from = MailboxAddress.Parse(email.From);
        message.From.Add(from);
        // An address stored before today's rule (EmailAddresses) that MimeKit cannot read is left out of the headers: its
        // recipient is failed, not sent (MessageDelivery), and one such address must not stop the message for the others.
        foreach (var recipient in email.Recipients)
        {
            var list = recipient.Kind switch { RecipientKind.To => message.To, RecipientKind.Cc => message.Cc, _ => null };
            if (list is not null && MailboxAddress.TryParse(recipient.Address, out var mailbox))
            {
                list.Add(mailbox);
            }
        }

        foreach (var replyTo in email.ReplyTo)
        {
            if (MailboxAddress.TryParse(replyTo, out var mailbox))
            {
                message.ReplyTo.Add(mailbox);
            }
        }

        var token = tokens.Create(TokenKind.Unsubscribe, email.Id);
        var unsubscribe = $"{BaseUrl}/t/u/{token}";
        message.Subject = UnsubscribeLinks.Fill(email.Subject, unsubscribe)!;
        message.Date = time.GetUtcNow();
        message.MessageId = $"{email.Id:N}@{from.Domain}";
        foreach (var (name, value) in email.HeadersJson is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(email.HeadersJson)!)
        {
            message.Headers.Add(name, value);
        }

        message.Headers.Add("X-PenguinMails-Id", EmailIds.Format(email.Id));
        message.Headers.Add("List-Unsubscribe", UnsubscribeLinks.Header(unsubscribe, token, _mailto));
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        var body = new BodyBuilder
        {
            HtmlBody = UnsubscribeLinks.FillHtml(Html(email), unsubscribe), TextBody = UnsubscribeLinks.Fill(email.TextBody, unsubscribe),
        };
        foreach (var part in attachments ?? [])
        {
            // Inline parts belong with the HTML that references them; without HTML they travel as attachments.
            (part.Headers.Contains(HeaderId.ContentId) && body.HtmlBody is not null ? body.LinkedResources : body.Attachments).Add(part);
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    private string? Html(EmailMessage email)
    {
        if (email.HtmlBody is not { } html)
        {
            return null;
        }

        if (email.TrackClicks)
        {
            html = HtmlTracking.RewriteLinks(html, index => $"{BaseUrl}/t/c/{tokens.Create(TokenKind.Click, email.Id, index)}");
        }

        return email.TrackOpens ? HtmlTracking.AddOpenPixel(html, $"{BaseUrl}/t/o/{tokens.Create(TokenKind.Open, email.Id)}") : html;
    }
}
