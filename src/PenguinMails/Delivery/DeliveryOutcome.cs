using PenguinMails.Emails;

namespace PenguinMails.Delivery;

/// <summary>What one delivery attempt decided, recipient by recipient, and the events it produced.</summary>
public sealed class DeliveryOutcome(EmailMessage email, DateTime now)
{
    public Dictionary<Guid, (RecipientStatus Status, string? Detail)> Recipients { get; } = [];
    public List<EmailEvent> Events { get; } = [];
    public List<string> HardBounces { get; } = [];
    public List<string> Complaints { get; } = [];
    public string AttemptOutcome { get; set; } = "simulated";
    public int? SmtpCode { get; set; }
    public string? Response { get; set; }

    public void Set(EmailRecipient recipient, RecipientStatus status, EmailEventType type, string? detail)
    {
        Recipients[recipient.Id] = (status, detail);
        Events.Add(new EmailEvent { MessageId = email.Id, Type = type, At = now, Recipient = recipient.Email, Detail = detail });
    }

    public void Event(EmailEventType type, string? recipient, string? detail) =>
        Events.Add(new EmailEvent { MessageId = email.Id, Type = type, At = now, Recipient = recipient, Detail = detail });

    /// <summary>Applies the relay's answer to the recipients it was sent to.</summary>
    public void Apply(IReadOnlyList<EmailRecipient> sentTo, TransportResult result)
    {
        SmtpCode = result.Code;
        Response = Trim(result.Response);
        AttemptOutcome = result.Accepted ? "sent" : result.Temporary ? "deferred" : "bounced";
        foreach (var recipient in sentTo)
        {
            if (result.Refused.TryGetValue(recipient.Email, out var refusal))
            {
                Refuse(recipient, refusal.IsPermanent, Trim(refusal.Response));
            }
            else if (result.Accepted)
            {
                Set(recipient, RecipientStatus.Sent, EmailEventType.Sent, Response);
            }
            else
            {
                Refuse(recipient, !result.Temporary, Response);
            }
        }
    }

    private void Refuse(EmailRecipient recipient, bool permanent, string? response)
    {
        if (permanent)
        {
            Set(recipient, RecipientStatus.Bounced, EmailEventType.Bounced, response);
            HardBounces.Add(recipient.Email);
        }
        else
        {
            // Stays pending: retried at the next attempt, reported once per attempt as "deferred".
            Recipients[recipient.Id] = (RecipientStatus.Pending, response);
        }
    }

    public RecipientStatus StatusOf(EmailRecipient recipient) =>
        Recipients.TryGetValue(recipient.Id, out var changed) ? changed.Status : recipient.Status;

    private static string? Trim(string? text) => text is { Length: > 1000 } ? text[..1000] : text;
}
