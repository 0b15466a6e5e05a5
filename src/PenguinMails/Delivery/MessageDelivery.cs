using MimeKit;
using PenguinMails.Delivery.Dkim;
using PenguinMails.Emails;
using PenguinMails.Emails.Attachments;

namespace PenguinMails.Delivery;

/// <summary>
/// Delivers one leased message: past its deadline it fails; suppressed recipients are marked so and skipped;
/// test-mode and reserved-domain recipients are simulated; the rest go to the relay in one SMTP transaction
/// (address fields downgraded when the relay lacks SMTPUTF8, prepared once by WireFormat, then DKIM-signed with the From domain's key, else the operator's when configured) — or,
/// when the message has a return-path domain, one transaction per recipient with its VERP return path. Reads
/// nothing but the message's attachments (<see cref="AttachmentParts"/>, only when it has some); the outcome it returns is
/// recorded by <see cref="OutcomeWriter"/>.
/// </summary>
public sealed class MessageDelivery(MessageComposer composer, AttachmentParts attachments, DkimSigning dkim, Bounces.ReturnPaths returnPaths,
    TimeProvider time)
{
    public async Task<DeliveryRecord> DeliverAsync(LeasedMessage leased, IMailTransport transport, CancellationToken ct)
    {
        var email = leased.Email;
        var started = time.GetUtcNow();
        var now = started.UtcDateTime;
        var outcome = new DeliveryOutcome(email, now);
        var pending = email.Recipients.Where(r => r.Status == RecipientStatus.Pending).ToList();
        if (now > email.DeliverBy)
        {
            foreach (var recipient in pending)
            {
                outcome.Set(recipient, RecipientStatus.Failed, EmailEventType.Failed, "not delivered before the deadline: " + email.LastError);
            }

            return Record(email, outcome, started);
        }

        var real = new List<EmailRecipient>();
        var fromIsAddress = EmailAddresses.TryParse(email.From, out _) is not null;
        foreach (var recipient in pending)
        {
            if (leased.Suppressed.Contains(recipient.Email))
            {
                outcome.Set(recipient, RecipientStatus.Suppressed, EmailEventType.Suppressed, "on the suppression list: not sent");
            }
            else if (!fromIsAddress || EmailAddresses.TryParse(recipient.Address, out _) is null)
            {
                // Stored before today's address rule (EmailAddresses) refused it: failed for good, not retried until the deadline.
                outcome.Set(recipient, RecipientStatus.Failed, EmailEventType.Failed, "not an address mail can be sent to or from: not sent");
            }
            else if (email.IsTest || TestMailboxes.IsReserved(recipient.Email))
            {
                Simulate(outcome, recipient, email.IsTest);
            }
            else
            {
                real.Add(recipient);
            }
        }

        if (real.Count > 0)
        {
            var message = composer.Compose(email, await attachments.LoadAsync(email, ct));
            if (AddressDowngrade.Needed(message) && !await transport.CarriesUtf8HeadersAsync(ct))
            {
                AddressDowngrade.Apply(message);
            }

            WireFormat.Prepare(message);
            dkim.Sign(message, leased.Signer);
            var result = leased.ReturnPathDomain is { } bounceDomain && transport is SmtpTransport or PickupDirectoryTransport
                ? await SendPerRecipientAsync(transport, message, email, real, bounceDomain, ct)
                : await transport.SendAsync(message, MailboxAddress.Parse(email.From), real.Select(r => MailboxAddress.Parse(r.Address)).ToList(), ct);
            outcome.Apply(real, result);
        }

        return Record(email, outcome, started);
    }

    /// <summary>
    /// VERP: one SMTP transaction per recipient, each with its own signed return path (Bounces/ReturnPaths), so that a
    /// report arriving later names its message and recipient. The answers merge into one result: taken if any was, each
    /// other recipient refused with its own reply (a whole-transaction failure becomes that recipient's refusal).
    /// </summary>
    private async Task<TransportResult> SendPerRecipientAsync(IMailTransport transport, MimeMessage message, EmailMessage email,
        List<EmailRecipient> recipients, string bounceDomain, CancellationToken ct)
    {
        var refused = new Dictionary<string, RecipientRefusal>();
        TransportResult? taken = null;
        foreach (var recipient in recipients)
        {
            var to = MailboxAddress.Parse(recipient.Address);
            var result = await transport.SendAsync(message, returnPaths.For(email.Id, recipient.Email, bounceDomain), [to], ct);
            if (result.Accepted && result.Refused.Count == 0)
            {
                taken ??= result;
            }
            else
            {
                refused[recipient.Address] = result.Refused.Values.FirstOrDefault() ?? new RecipientRefusal(result.Code, result.Response, result.Verdict);
            }
        }

        return taken is null ? TransportResult.NoneAccepted(refused) : TransportResult.Sent(taken.Code, taken.Response, refused);
    }

    private DeliveryRecord Record(EmailMessage email, DeliveryOutcome outcome, DateTimeOffset started) =>
        new(email, outcome, started, (int)Math.Min(int.MaxValue, (time.GetUtcNow() - started).TotalMilliseconds));

    private static void Simulate(DeliveryOutcome outcome, EmailRecipient recipient, bool testKey)
    {
        if (!TestMailboxes.IsReserved(recipient.Email))
        {
            outcome.Set(recipient, RecipientStatus.Sent, EmailEventType.Sent, "test mode: simulated, not delivered");
            return;
        }

        switch (TestMailboxes.OutcomeFor(recipient.Email))
        {
            case SimulatedOutcome.Bounced:
                outcome.Decide(recipient, SmtpReplyClassifier.Classify(SmtpStage.Recipient, 550, "5.1.1 simulated bounce"),
                    "550 5.1.1 simulated bounce (test address)");
                break;
            case SimulatedOutcome.Complained:
                outcome.Set(recipient, RecipientStatus.Sent, EmailEventType.Sent, "simulated delivery (test address)");
                outcome.Event(EmailEventType.Complained, recipient.Email, "simulated spam complaint (test address)");
                outcome.Complaints.Add(recipient.Email);
                break;
            default:
                outcome.Set(recipient, RecipientStatus.Sent, EmailEventType.Sent,
                    testKey ? "simulated delivery (test address)" : "simulated delivery (reserved test domain)");
                break;
        }
    }
}
