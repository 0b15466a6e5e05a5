using Microsoft.Extensions.Options;
using MimeKit;
using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Installation;

/// <summary>
/// The one way the installation mails someone on its own behalf (DECISIONS.md "Sending"): <see cref="QueueAsync"/>
/// stores the message durably and wakes this node's sender; <see cref="InstallationMailSender"/> delivers it from the
/// operator's sender (<see cref="InstallationMailOptions"/>), DKIM-signed with PenguinMails:Dkim when configured, to
/// the relay or the pickup directory like any message, retried on temporary failures. Never a tenant's mail.
/// </summary>
public sealed class InstallationMail(AppDb db, WriteGate gate, DispatchSignal signal, IOptions<PenguinMailsOptions> options, TimeProvider time)
{
    /// <summary>
    /// Queues one message to <paramref name="to"/> (a bare address); returns its id once it is committed.
    /// Throws <see cref="ArgumentException"/> when <paramref name="to"/> is not an address.
    /// </summary>
    public async Task<Guid> QueueAsync(string purpose, string to, string subject, string text, string? html, CancellationToken ct)
    {
        var message = Stage(purpose, to, subject, text, html);
        using (await gate.EnterAsync(db, ct))
        {
            await db.SaveChangesAsync(ct);
        }

        signal.Notify();
        return message.Id;
    }

    /// <summary>
    /// Adds one message to the scope's <see cref="AppDb"/> without saving: for a caller that commits it in a transaction
    /// of its own together with other rows (alerts record their occurrence in the same commit), then calls
    /// <see cref="DispatchSignal.Notify"/>. Throws <see cref="ArgumentException"/> when <paramref name="to"/> is not an address.
    /// </summary>
    public InstallationMessage Stage(string purpose, string to, string subject, string text, string? html)
    {
        if (!MailboxAddress.TryParse(to, out var address) || string.IsNullOrEmpty(address.Domain))
        {
            throw new ArgumentException($"'{to}' is not an email address.", nameof(to));
        }

        var now = time.GetUtcNow().UtcDateTime;
        var message = new InstallationMessage
        {
            Purpose = purpose, To = address.Address.ToLowerInvariant(), Subject = subject, TextBody = text, HtmlBody = html,
            CreatedAt = now, NextAttemptAt = now, DeliverBy = now.AddHours(options.Value.Delivery.DeadlineHours),
        };
        db.InstallationMail.Add(message);
        return message;
    }

    /// <summary>How many messages of <paramref name="purpose"/> were queued to <paramref name="to"/> since <paramref name="since"/> (throttles).</summary>
    public Task<int> CountSinceAsync(string purpose, string to, DateTime since, CancellationToken ct)
    {
        var address = to.Trim().ToLowerInvariant();
        return db.InstallationMail.CountAsync(m => m.To == address && m.Purpose == purpose && m.CreatedAt >= since, ct);
    }
}
