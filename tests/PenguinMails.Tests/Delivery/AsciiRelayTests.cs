using System.Net;
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
/// recipient fails with the reason and is never suppressed; a non-ASCII domain goes in its IDNA (punycode) form.
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

    private static async Task AssertNotSuppressedAsync(HttpClient client, string address) =>
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/suppressions/{Uri.EscapeDataString(address)}")).StatusCode);
}

public sealed class AsciiRelaySqliteTests(SqliteFactory app, AsciiRelay relay)
    : AsciiRelayTests(app, relay), IClassFixture<SqliteFactory>, IClassFixture<AsciiRelay>;

public sealed class AsciiRelayPostgresTests(PostgresFactory app, AsciiRelay relay)
    : AsciiRelayTests(app, relay), IClassFixture<PostgresFactory>, IClassFixture<AsciiRelay>;
