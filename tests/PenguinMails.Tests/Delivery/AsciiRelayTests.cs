using System.Net;
using System.Text;
using MimeKit;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Delivery;

/// <summary>A relay that does not announce SMTPUTF8 (RFC 6531), as a test fixture.</summary>
public sealed class AsciiRelay : IDisposable
{
    public SmtpServer Server { get; } = SmtpServer.WithoutSmtpUtf8();

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// Internationalized addresses through a relay without SMTPUTF8: a non-ASCII local part cannot be carried, so that
/// recipient fails with the reason and is never suppressed, and the others get the message with every address field
/// 7-bit (RFC 6857 groups), signed as sent; a non-ASCII domain goes in its IDNA (punycode) form.
/// </summary>
public abstract class AsciiRelayTests
{
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected AsciiRelayTests(PenguinMailsFactory app, AsciiRelay relay)
    {
        (_app, _smtp) = (app, relay.Server);
        foreach (var (name, value) in _smtp.Settings())
        {
            app.Settings[name] = value;
        }
    }

    [Fact]
    public async Task InternationalLocalPart_RelayWithoutSmtpUtf8_RecipientFailsWithTheReason_NotSuppressed()
    {
        var (_, client) = await _app.TenantClientAsync();
        var dorte = $"dörte-{Guid.NewGuid():N}@example.com";
        var plain = $"plain-{Guid.NewGuid():N}@example.com";
        var id = await client.SendAsync(new { from = "s@example.com", to = new[] { dorte, plain }, subject = "Grüße", text_body = "Grüße" });
        var email = await _app.WaitForStatusAsync(client, id, "sent");
        var recipients = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!);
        Assert.Equal("failed", recipients[dorte]["status"]!.GetValue<string>());
        Assert.Contains("SMTPUTF8", recipients[dorte]["detail"]!.GetValue<string>());
        Assert.Equal("sent", recipients[plain]["status"]!.GetValue<string>());
        Assert.Single(_smtp.MessagesTo(plain));
        await AssertNotSuppressedAsync(client, dorte);
    }

    [Fact]
    public async Task InternationalLocalPartAlone_RelayWithoutSmtpUtf8_MessageFails_NotSuppressed()
    {
        var (_, client) = await _app.TenantClientAsync();
        var dorte = $"dörte-{Guid.NewGuid():N}@example.com";
        var email = await _app.WaitForStatusAsync(client, await client.SendAsync(EmailTestKit.Simple(dorte)), "failed");
        Assert.Contains("SMTPUTF8", email["recipients"]![0]!["detail"]!.GetValue<string>());
        Assert.DoesNotContain("bounced", email.EventTypes());
        await AssertNotSuppressedAsync(client, dorte);
    }

    [Fact]
    public async Task InternationalDomain_RelayWithoutSmtpUtf8_SentInItsIdnaForm()
    {
        var (_, client) = await _app.TenantClientAsync();
        var local = $"reader-{Guid.NewGuid():N}";
        await _app.WaitForStatusAsync(client, await client.SendAsync(EmailTestKit.Simple($"{local}@bücher.example")), "sent");
        Assert.Single(_smtp.MessagesTo($"{local}@xn--bcher-kva.example"));
    }

    [Fact]
    public async Task InternationalLocalParts_RelayWithoutSmtpUtf8_AddressFieldsGoAsRfc6857Groups_SevenBitAndSigned()
    {
        var (_, client) = await _app.TenantClientAsync();
        var unique = Guid.NewGuid().ToString("N");
        var (dorte, jorg, antwort, receipt) =
            ($"dörte-{unique}@example.com", $"jörg-{unique}@example.com", $"äntwort-{unique}@example.com", $"bestätigung-{unique}@example.com");
        var (plain, plainCc) = ($"plain-{unique}@example.com", $"plain-cc-{unique}@bücher.example");

        var id = await client.SendAsync(new
        {
            from = "Shop <s@example.com>", to = new[] { dorte, plain }, cc = new[] { jorg, plainCc }, reply_to = $"Antwort <{antwort}>",
            headers = new Dictionary<string, string> { ["Disposition-Notification-To"] = receipt }, subject = "Grüße", text_body = "Grüße",
        });
        var email = await _app.WaitForStatusAsync(client, id, "sent");

        var status = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal(["failed", "sent", "failed", "sent"], new[] { dorte, plain, jorg, plainCc }.Select(a => status[a]));
        var file = Directory.GetFiles(_smtp.Directory, "*.eml").Single(f => File.ReadLines(f).First().Contains(plain, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("xn--bcher-kva.example", File.ReadLines(file).First()); // both ASCII recipients, in one transaction
        var bytes = File.ReadAllBytes(file);
        var headerLines = Encoding.Latin1.GetString(bytes, 0, bytes.AsSpan().IndexOf("\r\n\r\n"u8)).Split("\r\n");
        Assert.Null(headerLines.FirstOrDefault(line => line.Any(c => c > '\x7f')));

        var message = MimeMessage.Load(file);
        Assert.Contains($"=?UTF-8?Q?d=C3=B6rte-{unique}=40example=2Ecom?=", Unfolded(message, HeaderId.To));
        Assert.Equal(dorte, EmptyGroupName(message.To[0]));
        Assert.Equal(plain, Assert.IsType<MailboxAddress>(message.To[1]).Address);
        Assert.Equal(jorg, EmptyGroupName(message.Cc[0]));
        Assert.Contains($"plain-cc-{unique}@xn--bcher-kva.example", Unfolded(message, HeaderId.Cc));
        Assert.Equal($"Antwort {antwort}", EmptyGroupName(Assert.Single(message.ReplyTo)));
        Assert.Equal(receipt, EmptyGroupName(Assert.Single(InternetAddressList.Parse(ParserOptions.Default, RawValue(message, HeaderId.DispositionNotificationTo)))));
        Assert.StartsWith("PASS", Dkimpy.Verify(file, $"{PenguinMailsFactory.SeededSelector}._domainkey.example.com", Dkimpy.SeededKeyRecord));
    }

    [Fact]
    public async Task InternationalSenderLocalPart_RelayWithoutSmtpUtf8_MessageFailsNamingTheSender()
    {
        var (_, client) = await _app.TenantClientAsync();
        var (sender, to) = ($"jörg-{Guid.NewGuid():N}@example.com", $"plain-{Guid.NewGuid():N}@example.com");

        var email = await _app.WaitForStatusAsync(client, await client.SendAsync(new { from = sender, to, subject = "S", text_body = "T" }), "failed");

        Assert.Contains($"SMTPUTF8 (RFC 6531), which an internationalized address needs: the sender {sender}",
            email["recipients"]![0]!["detail"]!.GetValue<string>());
        Assert.Empty(_smtp.MessagesTo(to));
        await AssertNotSuppressedAsync(client, to);
    }

    private static byte[] RawValue(MimeMessage message, HeaderId id) => message.Headers.First(h => h.Id == id).RawValue;

    private static string Unfolded(MimeMessage message, HeaderId id) => Encoding.ASCII.GetString(RawValue(message, id)).Replace("\r\n", "");

    /// <summary>An RFC 6857 downgraded mailbox: a group with no members, its name the (decoded) display name and address.</summary>
    private static string EmptyGroupName(InternetAddress address)
    {
        var group = Assert.IsType<GroupAddress>(address);
        Assert.Empty(group.Members);
        return group.Name ?? "";
    }

    private static async Task AssertNotSuppressedAsync(HttpClient client, string address) =>
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/suppressions/{Uri.EscapeDataString(address)}")).StatusCode);
}

public sealed class AsciiRelaySqliteTests(SqliteFactory app, AsciiRelay relay)
    : AsciiRelayTests(app, relay), IClassFixture<SqliteFactory>, IClassFixture<AsciiRelay>;

public sealed class AsciiRelayPostgresTests(PostgresFactory app, AsciiRelay relay)
    : AsciiRelayTests(app, relay), IClassFixture<PostgresFactory>, IClassFixture<AsciiRelay>;
