using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace PenguinMails.Delivery;

/// <summary>
/// Delivery through an SMTP relay with MailKit. The connection is opened on first use and kept for the next
/// messages (closed when idle or after an error); STARTTLS, implicit TLS and AUTH as configured. 4xx replies and
/// connection failures are temporary; 5xx replies are permanent (bounces).
/// </summary>
public sealed class SmtpTransport(SmtpOptions options) : IMailTransport
{
    private RecordingSmtpClient? _client;

    public async Task<TransportResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        try
        {
            var client = await ConnectedAsync(ct);
            client.Refused.Clear();
            var response = await client.SendAsync(message, sender, recipients, ct);
            return TransportResult.Sent(response, Refusals(client));
        }
        catch (NoRecipientAcceptedException)
        {
            var refused = Refusals(_client!);
            var first = refused.Values.First();
            await DropAsync();
            return new TransportResult(false, !refused.Values.All(r => r.IsPermanent), first.Code, first.Response, refused);
        }
        catch (SmtpCommandException e)
        {
            await DropAsync();
            var code = (int)e.StatusCode;
            return TransportResult.Failed(code is < 500 or >= 600, code, $"{code} {e.Message}");
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
            or AuthenticationException or SslHandshakeException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            await DropAsync();
            return TransportResult.Failed(true, null, $"{e.GetType().Name}: {e.Message}");
        }
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

    private static Dictionary<string, RecipientRefusal> Refusals(RecordingSmtpClient client) =>
        client.Refused.ToDictionary(r => r.Key, r => new RecipientRefusal((int)r.Value.StatusCode, $"{(int)r.Value.StatusCode} {r.Value.Response}"),
            StringComparer.OrdinalIgnoreCase);

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

    /// <summary>Keeps per-recipient refusals instead of failing the whole message on the first one.</summary>
    private sealed class RecordingSmtpClient : SmtpClient
    {
        public Dictionary<string, SmtpResponse> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            Refused[mailbox.Address] = response;

        protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientAcceptedException();
    }

    private sealed class NoRecipientAcceptedException : Exception;
}
