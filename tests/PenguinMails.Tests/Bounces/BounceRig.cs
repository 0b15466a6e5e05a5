using PenguinMails.Tests.Emails;

namespace PenguinMails.Tests.Bounces;

/// <summary>
/// A test class's mail world: a dovecot holding the bounce mailbox and an SMTP relay that delivers its later bounces
/// into that mailbox (<c>later-bounce-…@</c>), as a relay and the bounce domain's MX would.
/// </summary>
public sealed class BounceRig : IDisposable
{
    public BounceRig()
    {
        Dovecot = new Dovecot();
        Relay = SmtpServer.BouncingInto(Dovecot.Maildir);
    }

    public Dovecot Dovecot { get; }
    public SmtpServer Relay { get; }

    public void Dispose()
    {
        Relay.Dispose();
        Dovecot.Dispose();
    }
}
