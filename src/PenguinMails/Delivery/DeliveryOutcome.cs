using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Delivery;

/// <summary>What one delivery attempt decided, recipient by recipient, and the events it produced.</summary>
public sealed class DeliveryOutcome(EmailMessage email, DateTime now)
{
    public Dictionary<Guid, (RecipientStatus Status, string? Detail)> Recipients { get; } = [];
    public List<EmailEvent> Events { get; } = [];
    public List<string> HardBounces { get; } = [];
    public List<string> Complaints { get; } = [];

    /// <summary><c>simulated</c>, <c>sent</c>, <c>deferred</c>, <c>bounced</c> or <c>failed</c>.</summary>
    public string AttemptOutcome { get; set; } = "simulated";

    /// <summary>The relay's reply code; null when no relay answered (a pickup file, a broken connection).</summary>
    public int? SmtpCode { get; set; }

    public string? Response { get; set; }

    /// <summary>The message's id at the tenant's ESP, when one took it.</summary>
    public string? EspMessageId { get; set; }

    /// <summary>The service's Retry-After: the next attempt is not before it.</summary>
    public TimeSpan? RetryAfter { get; set; }

    public void Set(EmailRecipient recipient, RecipientStatus status, EmailEventType type, string? detail)
    {
        Recipients[recipient.Id] = (status, detail);
        Events.Add(new EmailEvent { MessageId = email.Id, Type = type, At = now, Recipient = recipient.Email, Detail = detail });
    }

    public void Event(EmailEventType type, string? recipient, string? detail) =>
        Events.Add(new EmailEvent { MessageId = email.Id, Type = type, At = now, Recipient = recipient, Detail = detail });

    /// <summary>Applies the transport's answer to the recipients it was sent to.</summary>
    public void Apply(IReadOnlyList<EmailRecipient> sentTo, TransportResult result)
    {
        SmtpCode = result.Code;
        Response = Trim(result.Response);
        (EspMessageId, RetryAfter) = (result.EspMessageId, result.RetryAfter);
        AttemptOutcome = result.Verdict switch
        {
            ReplyVerdict.Delivered => "sent",
            ReplyVerdict.Retry => "deferred",
            ReplyVerdict.MailboxBounce => "bounced",
            _ => "failed",
        };
        foreach (var recipient in sentTo)
        {
            if (result.Refused.TryGetValue(recipient.Address, out var refusal) || result.Refused.TryGetValue(recipient.Email, out refusal))
            {
                Decide(recipient, refusal.Verdict, Trim(refusal.Response));
            }
            else
            {
                Decide(recipient, result.Verdict, Response);
            }
        }
    }

    /// <summary>
    /// Records what a verdict means for one recipient: delivered is sent; a mailbox bounce is bounced and suppressed;
    /// any other permanent failure fails the recipient, address kept; a retry leaves it pending.
    /// </summary>
    public void Decide(EmailRecipient recipient, ReplyVerdict verdict, string? response)
    {
        switch (verdict)
        {
            case ReplyVerdict.Delivered:
                Set(recipient, RecipientStatus.Sent, EmailEventType.Sent, response);
                break;
            case ReplyVerdict.MailboxBounce:
                Set(recipient, RecipientStatus.Bounced, EmailEventType.Bounced, response);
                HardBounces.Add(recipient.Email);
                break;
            case ReplyVerdict.Failed:
                Set(recipient, RecipientStatus.Failed, EmailEventType.Failed, response);
                break;
            default:
                // Stays pending: retried at the next attempt, reported once per attempt as "deferred".
                Recipients[recipient.Id] = (RecipientStatus.Pending, response);
                break;
        }
    }

    public RecipientStatus StatusOf(EmailRecipient recipient) =>
        Recipients.TryGetValue(recipient.Id, out var changed) ? changed.Status : recipient.Status;

    private static string? Trim(string? text) => TextClip.OrNull(text, 1000);
}
