using MailKit;
using MailKit.Security;

namespace PenguinMails.Bounces;

/// <summary>Connects and signs in a MailKit client with the mailbox settings; the password goes to the server only.</summary>
public static class MailboxConnection
{
    public static async Task OpenAsync(IMailService client, BounceMailboxOptions o, bool pop3, CancellationToken ct)
    {
        var tls = o.Tls.Trim().ToLowerInvariant() switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "auto" => SecureSocketOptions.StartTlsWhenAvailable,
            _ => SecureSocketOptions.SslOnConnect,
        };
        var port = o.Port > 0 ? o.Port : (pop3, tls == SecureSocketOptions.SslOnConnect) switch
        {
            (true, true) => 995, (true, false) => 110, (false, true) => 993, _ => 143,
        };
        client.Timeout = 60_000;
        if (o.AcceptAnyCertificate)
        {
            client.ServerCertificateValidationCallback = (_, _, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || o.AcceptAnyCertificate;
        }

        await client.ConnectAsync(o.Host, port, tls, ct);
        await client.AuthenticateAsync(o.User, o.Password, ct);
    }
}
