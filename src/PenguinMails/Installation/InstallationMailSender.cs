using Microsoft.Extensions.Options;
using MimeKit;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Delivery.Dkim;
using PenguinMails.Emails;

namespace PenguinMails.Installation;

/// <summary>
/// Delivers installation mail on every node whose dispatcher is on (PenguinMails:Delivery:Enabled). A message is
/// claimed under a lease by one conditional UPDATE, so two nodes never both send it; a node that dies mid-send
/// releases it when the lease ends. A temporary failure (4xx, no connection) is retried with the queue's backoff
/// (RetryBaseSeconds doubled per attempt, at most RetryMaxSeconds) until DeadlineHours; a permanent one fails it.
/// Wakes on <see cref="DispatchSignal"/> or every PollSeconds, on the injected clock.
/// </summary>
public sealed class InstallationMailSender(IServiceScopeFactory scopes, DkimSigning dkim, DispatchSignal signal, NodeName node, WriteGate gate,
    IOptions<PenguinMailsOptions> options, TimeProvider time, ILogger<InstallationMailSender> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Delivery.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            var pollAt = time.GetUtcNow() + TimeSpan.FromSeconds(options.Value.Delivery.PollSeconds); // before "due" is judged
            var sent = 0;
            try
            {
                sent = await SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Sending installation mail failed; trying again after the poll interval.");
            }

            if (sent == 0)
            {
                try
                {
                    await time.SleepUntilAsync(pollAt, wake, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and sends the due messages one by one over one transport; returns how many were claimed.</summary>
    private async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await Due(db, now).OrderBy(m => m.NextAttemptAt).Select(m => m.Id).Take(20).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        await using var transport = MailTransports.Create(options.Value);
        var claimed = 0;
        foreach (var id in due)
        {
            int taken;
            using (await gate.EnterAsync(db, ct))
            {
                taken = await Due(db, now).Where(m => m.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, InstallationMessageStatus.Sending)
                    .SetProperty(m => m.LeaseOwner, node.Value)
                    .SetProperty(m => m.LeaseUntil, now.AddSeconds(options.Value.Delivery.LeaseSeconds))
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
            }

            if (taken == 1)
            {
                claimed++;
                var message = await db.InstallationMail.AsNoTracking().FirstAsync(m => m.Id == id, ct);
                await RecordAsync(db, message, await SendAsync(message, transport, ct), ct);
            }
        }

        return claimed;
    }

    private async Task<TransportResult> SendAsync(InstallationMessage message, IMailTransport transport, CancellationToken ct)
    {
        if (time.GetUtcNow().UtcDateTime > message.DeliverBy)
        {
            return TransportResult.Failed(ReplyVerdict.Failed, null, "not delivered before the deadline: " + message.LastError);
        }

        if (EmailAddresses.TryParse(message.To, out _) is null)
        {
            // An account's address taken before the one address rule (EmailAddresses): failed for good, not retried.
            return TransportResult.Failed(ReplyVerdict.Failed, null, "not an address mail can be sent to: not sent");
        }

        var mime = Compose(message);
        WireFormat.Prepare(mime);
        dkim.Sign(mime);
        var result = await transport.SendAsync(mime, mime.From.Mailboxes.First(), [MailboxAddress.Parse(message.To)], ct);
        return result.Accepted && result.Refused.Count > 0 ? TransportResult.NoneAccepted(result.Refused) : result;
    }

    private MimeMessage Compose(InstallationMessage message)
    {
        var from = MailboxAddress.Parse(InstallationMailOptions.SenderOf(options.Value));
        var mime = new MimeMessage { Subject = message.Subject, Date = time.GetUtcNow(), MessageId = $"{message.Id:N}@{from.Domain}" };
        mime.From.Add(from);
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Headers.Add("Auto-Submitted", "auto-generated"); // RFC 3834: no vacation replies to a machine's mail
        mime.Body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody }.ToMessageBody();
        return mime;
    }

    /// <summary>Sent, retried later, or failed for good (then without its bodies) — written only while this node still holds the lease.</summary>
    private async Task RecordAsync(AppDb db, InstallationMessage message, TransportResult result, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var delivery = options.Value.Delivery;
        var retryAt = now.AddSeconds(Math.Min(delivery.RetryMaxSeconds, delivery.RetryBaseSeconds * Math.Pow(2, Math.Max(0, message.Attempts - 1))));
        var status = result.Accepted ? InstallationMessageStatus.Sent
            : result.Verdict == ReplyVerdict.Retry && retryAt <= message.DeliverBy ? InstallationMessageStatus.Queued
            : InstallationMessageStatus.Failed;
        var error = result.Accepted ? null : Truncate($"{result.Code} {result.Response}".Trim());
        if (status != InstallationMessageStatus.Sent)
        {
            log.LogWarning("Installation mail {Id} ({Purpose}) to {To}: attempt {Attempt} not delivered ({Error}); {Next}.", message.Id,
                message.Purpose, message.To, message.Attempts, error, status == InstallationMessageStatus.Queued ? $"retried at {retryAt:O}" : "given up");
        }

        using (await gate.EnterAsync(db, ct))
        {
            await db.InstallationMail.Where(m => m.Id == message.Id && m.LeaseOwner == node.Value && m.Status == InstallationMessageStatus.Sending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Status, status)
                    .SetProperty(m => m.SentAt, result.Accepted ? now : null)
                    // Once out, the bodies go: a reset link must not stay readable in the database for its lifetime.
                    .SetProperty(m => m.TextBody, m => status == InstallationMessageStatus.Queued ? m.TextBody : "")
                    .SetProperty(m => m.HtmlBody, m => status == InstallationMessageStatus.Queued ? m.HtmlBody : null)
                    .SetProperty(m => m.NextAttemptAt, status == InstallationMessageStatus.Queued ? retryAt : message.NextAttemptAt)
                    .SetProperty(m => m.LastError, error ?? message.LastError)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseUntil, (DateTime?)null), CancellationToken.None);
        }
    }

    private static string? Truncate(string? text) => TextClip.OrNull(text, 1000);

    private static IQueryable<InstallationMessage> Due(AppDb db, DateTime now) =>
        db.InstallationMail.Where(m => (m.Status == InstallationMessageStatus.Queued && m.NextAttemptAt <= now)
            || (m.Status == InstallationMessageStatus.Sending && m.LeaseUntil < now));
}
