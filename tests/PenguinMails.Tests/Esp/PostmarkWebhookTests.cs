using System.Text.Json.Nodes;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using static PenguinMails.Tests.Esp.EspTestKit;

namespace PenguinMails.Tests.Esp;

/// <summary>Postmark's event webhooks at the tenant's URL: mapped to our events, statuses and suppressions, once each.</summary>
public abstract class PostmarkWebhookTests
{
    private readonly PenguinMailsFactory _app;

    protected PostmarkWebhookTests(PenguinMailsFactory app, EspStandIn esp)
    {
        _app = app;
        foreach (var (name, value) in esp.Settings())
        {
            app.Settings[name] = value;
        }
    }

    /// <summary>A tenant on Postmark with one message sent to <paramref name="to"/>: its id and Postmark's.</summary>
    private async Task<(EspTenant Tenant, string Id, string PostmarkId, string Url)> SentAsync(string to)
    {
        var tenant = await _app.EspTenantAsync(PostmarkSettings());
        var id = await tenant.Sender.SendAsync(new { from = "news@example.com", to, subject = "Hi", html_body = "<p>Hi</p>" });
        var email = await _app.WaitForStatusAsync(tenant.Sender, id, "sent");
        return (tenant, id, email["esp_message_id"]!.GetValue<string>(), tenant.Settings["postmark"]!["webhook_url"]!.GetValue<string>());
    }

    private static async Task<string> ResultAsync(HttpResponseMessage response) => (await response.DataAsync())["result"]!.GetValue<string>();

    [Fact]
    public async Task Delivery_RecordsDeliveredOnce_HoweverOftenItArrives()
    {
        var to = Unique("pm");
        var (tenant, id, postmarkId, url) = await SentAsync(to);
        var payload = new { RecordType = "Delivery", ServerID = 23, MessageStream = "outbound", MessageID = postmarkId, Recipient = to,
            DeliveredAt = "2026-11-23T10:00:05Z", Details = "Test delivery webhook details" };
        Assert.Equal("recorded", await ResultAsync(await _app.PostmarkAsync(url, payload)));
        Assert.Equal("duplicate", await ResultAsync(await _app.PostmarkAsync(url, payload)));
        var email = await tenant.Sender.EmailAsync(id);
        Assert.Single(email.EventTypes(), t => t == "delivered");
        Assert.Equal("sent", email["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task HardBounce_BouncesTheRecipientAndSuppressesTheAddress()
    {
        var to = Unique("pm");
        var (tenant, id, postmarkId, url) = await SentAsync(to);
        var bounce = new { RecordType = "Bounce", ID = 4323372036854775807, Type = "HardBounce", TypeCode = 1, MessageID = postmarkId,
            Email = to, Description = "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
            Details = "smtp;550 5.1.1 The email account that you tried to reach does not exist.", BouncedAt = "2026-11-23T10:01:00Z", Inactive = true };
        Assert.Equal("recorded", await ResultAsync(await _app.PostmarkAsync(url, bounce)));
        Assert.Equal("duplicate", await ResultAsync(await _app.PostmarkAsync(url, bounce)));
        var email = await tenant.Sender.EmailAsync(id);
        Assert.Equal("bounced", email["status"]!.GetValue<string>());
        Assert.Equal("bounced", email["recipients"]![0]!["status"]!.GetValue<string>());
        Assert.Single(email.EventTypes(), t => t == "bounced");
        var suppression = await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).DataAsync();
        Assert.Equal("hard_bounce", suppression["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task SoftBounce_IsADeferralOnly_NothingSuppressed()
    {
        var to = Unique("pm");
        var (tenant, id, postmarkId, url) = await SentAsync(to);
        await _app.PostmarkAsync(url, new { RecordType = "Bounce", ID = 42, Type = "SoftBounce", TypeCode = 4096, MessageID = postmarkId, Email = to,
            Description = "Unable to temporarily deliver this email.", Details = "mailbox full" });
        var email = await tenant.Sender.EmailAsync(id);
        Assert.Equal("sent", email["status"]!.GetValue<string>());
        Assert.Contains("deferred", email.EventTypes());
        await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task SpamComplaint_RecordsComplainedAndSuppresses()
    {
        var to = Unique("pm");
        var (tenant, id, postmarkId, url) = await SentAsync(to);
        await _app.PostmarkAsync(url, new { RecordType = "SpamComplaint", ID = 77, Type = "SpamComplaint", TypeCode = 512, MessageID = postmarkId, Email = to });
        Assert.Contains("complained", (await tenant.Sender.EmailAsync(id)).EventTypes());
        var suppression = await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).DataAsync();
        Assert.Equal("complaint", suppression["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenClickAndUnsubscribe_AreCountedAndTheUnsubscribeSuppresses()
    {
        var to = Unique("pm");
        var (tenant, id, postmarkId, url) = await SentAsync(to);
        await _app.PostmarkAsync(url, new { RecordType = "Open", FirstOpen = true, Recipient = to, MessageID = postmarkId,
            ReceivedAt = "2026-11-23T10:02:00Z", Geo = new { IP = "188.2.95.4" } });
        await _app.PostmarkAsync(url, new { RecordType = "Click", ClickLocation = "HTML", OriginalLink = "https://example.org/a", MessageID = postmarkId,
            Recipient = to, ReceivedAt = "2026-11-23T10:03:00Z", Geo = new { IP = "188.2.95.4" } });
        await _app.PostmarkAsync(url, new { RecordType = "SubscriptionChange", MessageID = postmarkId, ChangedAt = "2026-11-23T10:04:00Z",
            Recipient = to, Origin = "Recipient", SuppressSending = true, SuppressionReason = "ManualSuppression" });
        var email = await tenant.Sender.EmailAsync(id);
        Assert.Equal(1, email["tracking"]!["opens"]!["total"]!.GetValue<int>());
        Assert.Equal(1, email["tracking"]!["clicks"]!["unique"]!.GetValue<int>());
        Assert.Contains("unsubscribed", email.EventTypes());
        var suppression = await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).DataAsync();
        Assert.Equal("unsubscribe", suppression["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongPassword_IsRefusedWith401AndRecordedInTheAuditLog()
    {
        var (tenant, id, postmarkId, url) = await SentAsync(Unique("pm"));
        var response = await _app.PostmarkAsync(url, new { RecordType = "Delivery", MessageID = postmarkId, Recipient = "x@example.com" }, "guess");
        await response.ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        Assert.DoesNotContain("delivered", (await tenant.Sender.EmailAsync(id)).EventTypes());
        var entry = (await tenant.AuditAsync("esp.webhook_refused"))[0]!;
        Assert.Equal("esp:postmark", entry["actor"]!.GetValue<string>());
        Assert.Contains("basic-auth", entry["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherTenantsUrl_CannotTouchThisTenantsMessage()
    {
        var to = Unique("pm");
        var (tenant, id, postmarkId, _) = await SentAsync(to);
        var other = await _app.EspTenantAsync(PostmarkSettings());
        var otherUrl = other.Settings["postmark"]!["webhook_url"]!.GetValue<string>();
        var bounce = new { RecordType = "Bounce", ID = 9, Type = "HardBounce", MessageID = postmarkId, Email = to,
            Metadata = new { penguinmails_id = id } };
        Assert.Equal("unknown_message", await ResultAsync(await _app.PostmarkAsync(otherUrl, bounce)));
        Assert.Equal("sent", (await tenant.Sender.EmailAsync(id))["status"]!.GetValue<string>());
        await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task UnknownTokenOrUnreadableBody_AreAnsweredInTheEnvelope()
    {
        var (_, _, _, url) = await SentAsync(Unique("pm"));
        var unknown = url.Replace("/postmark/", "/postmark/x", StringComparison.Ordinal);
        await (await _app.PostmarkAsync(unknown, new { RecordType = "Delivery" })).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await _app.PostmarkAsync(url, new { RecordType = "Delivery" })).ErrorAsync(400, "VALIDATION_ERROR");
        await (await _app.PostmarkAsync(url, new JsonArray())).ErrorAsync(400, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task TextThatIsNotText_InAnyField_IsAValidationErrorNamingIt()
    {
        var (_, _, postmarkId, url) = await SentAsync(Unique("pm"));
        var cases = new[]
        {
            ("{\"RecordType\":", $",\"MessageID\":\"{postmarkId}\"}}", "body.RecordType"),
            ("{\"RecordType\":\"Delivery\",\"MessageID\":", "}", "body.MessageID"),
            ($"{{\"RecordType\":\"Bounce\",\"Type\":\"HardBounce\",\"MessageID\":\"{postmarkId}\",\"Email\":", "}", "body.Email"),
            ($"{{\"RecordType\":\"Delivery\",\"MessageID\":\"{postmarkId}\",\"Metadata\":{{\"penguinmails_id\":", "}}", "body.Metadata.penguinmails_id"),
        };
        foreach (var (before, after, field) in cases)
        {
            foreach (var body in EspWebhookCalls.WithTextThatIsNot(before, after))
            {
                var error = await (await _app.PostRawAsync(url, body)).ErrorAsync(400, "VALIDATION_ERROR");
                Assert.Equal(field, Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public async Task BouncesNamingNoRecipientOfTheMessage_SuppressNothing()
    {
        var to = Unique("pm");
        var (tenant, _, postmarkId, url) = await SentAsync(to);
        var stranger = Unique("stranger");
        foreach (var email in new[] { "not-an-email", "a\u0001@example.com", new string('x', 5000) + "@example.com", stranger })
        {
            var bounce = new { RecordType = "Bounce", ID = Random.Shared.NextInt64(), Type = "HardBounce", TypeCode = 1, MessageID = postmarkId,
                Email = email, BouncedAt = "2026-11-23T10:01:00Z" };
            Assert.Equal("recorded", await ResultAsync(await _app.PostmarkAsync(url, bounce)));
        }

        var listed = (JsonArray)await (await tenant.Sender.GetAsync("/api/v1/suppressions?limit=100")).DataAsync();
        Assert.Empty(listed);
        await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{stranger}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }
}

public sealed class PostmarkWebhookSqliteTests(SqliteFactory app, EspStandIn esp)
    : PostmarkWebhookTests(app, esp), IClassFixture<SqliteFactory>, IClassFixture<EspStandIn>;

public sealed class PostmarkWebhookPostgresTests(PostgresFactory app, EspStandIn esp)
    : PostmarkWebhookTests(app, esp), IClassFixture<PostgresFactory>, IClassFixture<EspStandIn>;
