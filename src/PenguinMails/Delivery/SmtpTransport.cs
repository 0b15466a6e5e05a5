using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace PenguinMails.Delivery;

/// <summary>
/// Delivery through an SMTP relay with MailKit. The connection is opened on first use and kept for the next
/// messages (closed when idle or after an error); STARTTLS, implicit TLS and AUTH as configured. Every reply is
/// judged by <see cref="SmtpReplyClassifier"/>; a connection that fails or breaks is retried. A relay that does not
/// announce SMTPUTF8 (RFC 6531) cannot carry an address whose local part is not ASCII: such a recipient fails at once
/// (not suppressed), and such a sender — the envelope's or the From field's — fails the message; non-ASCII domains go as
/// IDNA A-labels, which MailKit does. Such a relay gets the message's address fields downgraded (<see cref="AddressDowngrade"/>),
/// which <see cref="CarriesUtf8HeadersAsync"/> tells MessageDelivery to do before signing.
/// </summary>
public sealed class SmtpTransport(SmtpOptions options) : IMailTransport
{
    private const string NoSmtpUtf8 = "the relay does not support SMTPUTF8 (RFC 6531), which an internationalized address needs";

    private RecordingSmtpClient? _client;

    public async Task<TransportResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        var refused = new Dictionary<string, RecipientRefusal>(StringComparer.OrdinalIgnoreCase);
        var remaining = recipients.ToList();
        try
        {
            while (true)
            {
                var client = await ConnectedAsync(ct);
                if (!client.Capabilities.HasFlag(SmtpCapabilities.UTF8))
                {
                    // With VERP the envelope sender is ASCII while the From field may not be: the From field is the sender too.
                    if (message.From.Mailboxes.Prepend(sender).FirstOrDefault(AddressDowngrade.NeedsSmtpUtf8) is { } international)
                    {
                        return TransportResult.Failed(ReplyVerdict.Failed, null, $"{NoSmtpUtf8}: the sender {international.Address}");
                    }

                    if (AddressDowngrade.Needed(message))
                    {
                        // Prepared for a relay that announced SMTPUTF8 and reconnected to one that does not: the next attempt asks again.
                        return TransportResult.Failed(ReplyVerdict.Retry, null, $"{NoSmtpUtf8}: the message was prepared for a relay that announced it");
                    }

                    foreach (var recipient in remaining.Where(AddressDowngrade.NeedsSmtpUtf8))
                    {
                        refused[recipient.Address] = new RecipientRefusal(null, NoSmtpUtf8, ReplyVerdict.Failed);
                    }

                    remaining.RemoveAll(AddressDowngrade.NeedsSmtpUtf8);
                }

                if (remaining.Count == 0)
                {
                    return TransportResult.NoneAccepted(refused);
                }

                client.Refused.Clear();
                try
                {
                    var response = await client.SendAsync(WireFormat.Options, message, sender, remaining, ct);
                    return TransportResult.Sent(250, response, Merge(refused, client));
                }
                catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.RecipientNotAccepted && e.Mailbox is { } mailbox)
                {
                    // A reply MailKit does not expect at RCPT TO (500, 501, 554...) ends the transaction: record it for that
                    // recipient and send again to the others (MailKit has sent RSET; a new connection if that failed).
                    Merge(refused, client);
                    refused[mailbox.Address] = Refusal((int)e.StatusCode, e.Message);
                    if (remaining.RemoveAll(r => refused.ContainsKey(r.Address)) == 0)
                    {
                        return TransportResult.NoneAccepted(refused);
                    }
                }
            }
        }
        catch (NoRecipientAcceptedException)
        {
            Merge(refused, _client!);
            await DropAsync();
            return TransportResult.NoneAccepted(refused);
        }
        catch (SmtpCommandException e)
        {
            await DropAsync();
            var code = (int)e.StatusCode;
            return TransportResult.Failed(SmtpReplyClassifier.Classify(SmtpStage.Transaction, code, e.Message), code, $"{code} {e.Message}");
        }
        catch (Exception e) when (Unreachable(e, ct))
        {
            await DropAsync();
            return TransportResult.Failed(ReplyVerdict.Retry, null, SmtpReplyClassifier.Unreachable(e));
        }
    }

    /// <summary>
    /// Connects (the connection is kept for <see cref="SendAsync"/>) and reads the relay's EHLO. A relay that cannot be
    /// reached now counts as one without SMTPUTF8: the 7-bit form suits every relay, and SendAsync reports the failure.
    /// </summary>
    public async Task<bool> CarriesUtf8HeadersAsync(CancellationToken ct)
    {
        try
        {
            return (await ConnectedAsync(ct)).Capabilities.HasFlag(SmtpCapabilities.UTF8);
        }
        catch (Exception e) when (e is SmtpCommandException || Unreachable(e, ct))
        {
            await DropAsync();
            return false;
        }
    }

    private static bool Unreachable(Exception e, CancellationToken ct) =>
        e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or AuthenticationException or SslHandshakeException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested;

    private static RecipientRefusal Refusal(int code, string text) =>
        new(code, $"{code} {text}", SmtpReplyClassifier.Classify(SmtpStage.Recipient, code, text));

    private static Dictionary<string, RecipientRefusal> Merge(Dictionary<string, RecipientRefusal> into, RecordingSmtpClient client)
    {
        foreach (var (address, response) in client.Refused)
        {
            into[address] = Refusal((int)response.StatusCode, response.Response);
        }

        return into;
    }

    public Task IdleAsync(CancellationToken ct) => DropAsync();

    public ValueTask DisposeAsync() => new(DropAsync());

    private async Task<RecordingSmtpClient> ConnectedAsync(CancellationToken ct)
    {
        if (_client is { IsConnected: true })
        {
            return _client;
        }

        await DropAsync();
        var client = new RecordingSmtpClient { Timeout = options.TimeoutSeconds * 1000 };
        if (!string.IsNullOrEmpty(options.HeloName))
        {
            client.LocalDomain = options.HeloName;
        }

        if (options.AcceptAnyCertificate)
        {
            client.ServerCertificateValidationCallback = (_, _, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || options.AcceptAnyCertificate;
        }

        _client = client;
        var security = options.Security.Trim().ToLowerInvariant() switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "tls" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(options.Host, options.Port, security, ct);
        if (!string.IsNullOrEmpty(options.Username))
        {
            await client.AuthenticateAsync(options.Username, options.Password, ct);
        }

        return client;
    }

    private async Task DropAsync()
    {
        if (_client is not { } client)
        {
            return;
        }

        _client = null;
        try
        {
            if (client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, quit.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
        {
            // The connection is being thrown away; how it ends does not matter.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>
    /// Keeps per-recipient refusals instead of failing the whole message on the first one, and sends the message as
    /// <see cref="WireFormat"/> prepared it: MailKit's own re-preparation would change the bytes after DKIM signing.
    /// </summary>
    private sealed class RecordingSmtpClient : SmtpClient
    {
        protected override void Prepare(FormatOptions options, MimeMessage message, EncodingConstraint constraint, int maxLineLength)
        {
        }

        public Dictionary<string, SmtpResponse> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            Refused[mailbox.Address] = response;

        protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientAcceptedException();
    }

    private sealed class NoRecipientAcceptedException : Exception;
}
