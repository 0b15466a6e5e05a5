using System.Net;
using System.Text.Json.Nodes;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Delivery;

/// <summary>
/// Replies of a real relay sorted by their enhanced status codes (RFC 3463): only a fault of the recipient's mailbox
/// bounces and suppresses the address; a refusal for any other reason fails the recipient and keeps the address.
/// </summary>
public abstract class RelayReplyTests
{
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected RelayReplyTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (_app, _smtp) = (app, smtp);
        foreach (var (name, value) in smtp.Settings())
        {
            app.Settings[name] = value;
        }
    }

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}@example.com";

    [Theory]
    [InlineData("reply550.5.7.1")] // relaying denied / policy
    [InlineData("reply554.5.7.1")]
    [InlineData("reply550.5.3.4")] // message too big for the system
    [InlineData("reply554.5.5.1")] // protocol
    [InlineData("reply500.5.5.2")]
    [InlineData("reply550.5.6.0")] // content
    [InlineData("reply552.5.2.2")] // mailbox full: the mailbox exists
    [InlineData("reply550.5.4.4")] // routing
    [InlineData("reply550.5.1.8")] // the sender's address
    [InlineData("reply554")] // no enhanced code: "transaction failed"
    [InlineData("reply550.4.1.1")] // a 5xx whose enhanced class says temporary: contradictory, never a bounce
    [InlineData("reply550.2.1.1")]
    [InlineData("datareply554.5.6.0")] // after DATA: about the message
    [InlineData("datareply550.5.1.1")] // after DATA a reply names no single recipient
    public async Task RelayRefusals_NotAboutTheRecipientsMailbox_FailTheRecipient_AddressNotSuppressed(string scenario)
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique(scenario);
        var email = await SendAndWaitAsync(client, to, "failed");
        var recipient = email["recipients"]![0]!;
        Assert.Equal("failed", recipient["status"]!.GetValue<string>());
        Assert.Matches(@"^[45]\d\d ", recipient["detail"]!.GetValue<string>());
        Assert.Equal("failed", email.EventTypes()[^1]);
        Assert.DoesNotContain("bounced", email.EventTypes());
        Assert.Equal("failed", email["delivery_attempts"]![0]!["outcome"]!.GetValue<string>());
        await AssertNotSuppressedAsync(client, to);
    }

    [Fact]
    public async Task SenderRefusedAtMailFrom_FailsTheMessage_NoRecipientSuppressed()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique("fine");
        var id = await client.SendAsync(new { from = Unique("reply550.5.7.1"), to, subject = "s", text_body = "t" });
        var email = await _app.WaitForStatusAsync(client, id, "failed");
        Assert.StartsWith("550 5.7.1", email["recipients"]![0]!["detail"]!.GetValue<string>());
        await AssertNotSuppressedAsync(client, to);
    }

    [Theory]
    [InlineData("reply550.5.1.1")] // bad destination mailbox
    [InlineData("reply550.5.1.2")] // bad destination system
    [InlineData("reply553.5.1.3")] // bad destination mailbox syntax
    [InlineData("reply550.5.2.1")] // mailbox disabled
    [InlineData("reply550")] // the traditional bare "no such user"
    [InlineData("reply551")] // user not local
    public async Task RelayRefusals_AboutTheRecipientsMailbox_Bounce_AddressSuppressed(string scenario)
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique(scenario);
        var email = await SendAndWaitAsync(client, to, "bounced");
        Assert.Equal("bounced", email["recipients"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("bounced", email["delivery_attempts"]![0]!["outcome"]!.GetValue<string>());
        var suppression = await (await client.GetAsync($"/api/v1/suppressions/{to}")).DataAsync();
        Assert.Equal("hard_bounce", suppression["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task OneRecipientRefusedForPolicy_OthersDelivered_RefusedOneFailedNotSuppressed()
    {
        var (_, client) = await _app.TenantClientAsync();
        var (good, policy) = (Unique("good"), Unique("reply554.5.7.1"));
        var id = await client.SendAsync(new { from = "s@example.com", to = new[] { policy, good }, subject = "two", text_body = "t" });
        var email = await _app.WaitForStatusAsync(client, id, "sent");
        var statuses = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal("sent", statuses[good]);
        Assert.Equal("failed", statuses[policy]);
        Assert.Single(_smtp.MessagesTo(good));
        await AssertNotSuppressedAsync(client, policy);
    }

    [Fact]
    public async Task InternationalAddress_ToRelayWithSmtpUtf8_Delivered()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = $"dörte-{Guid.NewGuid():N}@example.com";
        await SendAndWaitAsync(client, to, "sent");
        Assert.Single(_smtp.MessagesTo(to));
    }

    private async Task<JsonNode> SendAndWaitAsync(HttpClient client, string to, string status) =>
        await _app.WaitForStatusAsync(client, await client.SendAsync(EmailTestKit.Simple(to)), status);

    private static async Task AssertNotSuppressedAsync(HttpClient client, string address) =>
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/suppressions/{Uri.EscapeDataString(address)}")).StatusCode);
}

public sealed class RelayReplySqliteTests(SqliteFactory app, SmtpServer smtp)
    : RelayReplyTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class RelayReplyPostgresTests(PostgresFactory app, SmtpServer smtp)
    : RelayReplyTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;
