using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using static PenguinMails.Tests.Esp.EspTestKit;
using static PenguinMails.Tests.Esp.EspWebhookCalls;

namespace PenguinMails.Tests.Esp;

/// <summary>Mailgun's signed event webhooks: each event mapped, the signature checked (key, age, replay), duplicates recorded once.</summary>
public abstract class MailgunWebhookTests
{
    private const string SigningKey = "mg-signing-key-5a7c";
    private readonly PenguinMailsFactory _app;

    protected MailgunWebhookTests(PenguinMailsFactory app, EspStandIn esp)
    {
        _app = app;
        foreach (var (name, value) in esp.Settings())
        {
            app.Settings[name] = value;
        }
    }

    private async Task<(EspTenant Tenant, string Id, string MailgunId, string Url)> SentAsync(object to)
    {
        var tenant = await _app.EspTenantAsync(MailgunSettings(signingKey: SigningKey));
        var id = await tenant.Sender.SendAsync(new { from = "news@example.com", to, subject = "Hi", html_body = "<p>Hi</p>" });
        var email = await _app.WaitForStatusAsync(tenant.Sender, id, "sent");
        return (tenant, id, email["esp_message_id"]!.GetValue<string>(), tenant.Settings["mailgun"]!["webhook_url"]!.GetValue<string>());
    }

    private static async Task<string> ResultAsync(HttpResponseMessage response) => (await response.DataAsync())["result"]!.GetValue<string>();

    [Fact]
    public async Task DeliveredOpenedClicked_AreRecorded_AndTheSameEventTwiceOnce()
    {
        var to = Unique("mg");
        var (tenant, id, mailgunId, url) = await SentAsync(to);
        var delivered = MailgunEvent("delivered", mailgunId, to, new { delivery_status = new { code = 250, message = "OK" } });
        Assert.Equal("recorded", await ResultAsync(await _app.MailgunAsync(url, delivered, SigningKey)));
        Assert.Equal("duplicate", await ResultAsync(await _app.MailgunAsync(url, delivered, SigningKey)));
        await _app.MailgunAsync(url, MailgunEvent("opened", mailgunId, to, new { ip = "50.56.129.169" }), SigningKey);
        await _app.MailgunAsync(url, MailgunEvent("clicked", mailgunId, to, new { ip = "50.56.129.169", url = "https://example.org/a" }), SigningKey);
        var email = await tenant.Sender.EmailAsync(id);
        Assert.Single(email.EventTypes(), t => t == "delivered");
        Assert.Equal(1, email["tracking"]!["opens"]!["unique"]!.GetValue<int>());
        Assert.Equal(1, email["tracking"]!["clicks"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task PermanentFailureOfTheMailbox_BouncesAndSuppresses()
    {
        var to = Unique("mg");
        var (tenant, id, mailgunId, url) = await SentAsync(to);
        var failed = MailgunEvent("failed", mailgunId, to, new
        {
            severity = "permanent", reason = "bounce",
            delivery_status = new { code = 550, message = "5.1.1 The email account that you tried to reach does not exist." },
        });
        Assert.Equal("recorded", await ResultAsync(await _app.MailgunAsync(url, failed, SigningKey)));
        var email = await tenant.Sender.EmailAsync(id);
        Assert.Equal("bounced", email["status"]!.GetValue<string>());
        Assert.Equal("hard_bounce", (await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).DataAsync())["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task PolicyFailureAndTemporaryFailure_SuppressNothing()
    {
        var to = Unique("mg");
        var (tenant, id, mailgunId, url) = await SentAsync(to);
        await _app.MailgunAsync(url, MailgunEvent("failed", mailgunId, to, new
        {
            severity = "temporary", reason = "generic", delivery_status = new { code = 452, message = "4.2.2 Mailbox full" },
        }), SigningKey);
        Assert.Equal("sent", (await tenant.Sender.EmailAsync(id))["status"]!.GetValue<string>());
        await _app.MailgunAsync(url, MailgunEvent("failed", mailgunId, to, new
        {
            severity = "permanent", reason = "generic", delivery_status = new { code = 554, message = "5.7.1 Message rejected as spam" },
        }), SigningKey);
        var email = await tenant.Sender.EmailAsync(id);
        Assert.Equal("failed", email["status"]!.GetValue<string>());
        Assert.Contains("deferred", email.EventTypes());
        await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task ComplainedAndUnsubscribed_Suppress()
    {
        var (complainer, unsubscriber) = (Unique("mg"), Unique("mg"));
        var (tenant, _, mailgunId, url) = await SentAsync(new[] { complainer, unsubscriber });
        await _app.MailgunAsync(url, MailgunEvent("complained", mailgunId, complainer), SigningKey);
        Assert.Equal("complaint", (await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{complainer}")).DataAsync())["reason"]!.GetValue<string>());
        await _app.MailgunAsync(url, MailgunEvent("unsubscribed", mailgunId, unsubscriber.ToUpperInvariant()), SigningKey);
        Assert.Equal("unsubscribe", (await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{unsubscriber}")).DataAsync())["reason"]!.GetValue<string>());
        var stranger = Unique("mg"); // not a recipient of the message: a signed event about it does not speak for them
        await _app.MailgunAsync(url, MailgunEvent("unsubscribed", mailgunId, stranger), SigningKey);
        await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{stranger}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task WrongKeyOldTimestampOrReplayedToken_AreRefusedAndAudited()
    {
        var to = Unique("mg");
        var (tenant, id, mailgunId, url) = await SentAsync(to);
        var delivered = MailgunEvent("delivered", mailgunId, to);
        await (await _app.MailgunAsync(url, delivered, "not-the-key")).ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        var old = _app.Clock.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds();
        await (await _app.MailgunAsync(url, delivered, SigningKey, timestamp: old)).ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        Assert.DoesNotContain("delivered", (await tenant.Sender.EmailAsync(id)).EventTypes());
        const string token = "0123456789abcdef0123456789abcdef0123456789abcdef01";
        Assert.Equal("recorded", await ResultAsync(await _app.MailgunAsync(url, delivered, SigningKey, token)));
        var replayed = MailgunEvent("complained", mailgunId, to);
        await (await _app.MailgunAsync(url, replayed, SigningKey, token)).ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        Assert.DoesNotContain("complained", (await tenant.Sender.EmailAsync(id)).EventTypes());
        var entry = (await tenant.AuditAsync("esp.webhook_refused"))[^1]!;
        Assert.Equal("esp:mailgun", entry["actor"]!.GetValue<string>());
        Assert.Contains("signature does not match", entry["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherTenantsSignedUrl_CannotTouchThisTenantsMessage()
    {
        var to = Unique("mg");
        var (tenant, id, mailgunId, _) = await SentAsync(to);
        var other = await _app.EspTenantAsync(MailgunSettings(signingKey: "other-key"));
        var otherUrl = other.Settings["mailgun"]!["webhook_url"]!.GetValue<string>();
        var complaint = MailgunEvent("complained", mailgunId, to, new { user_variables = new { penguinmails_id = id } });
        await (await _app.MailgunAsync(otherUrl, complaint, SigningKey)).ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        Assert.Equal("unknown_message", await ResultAsync(await _app.MailgunAsync(otherUrl, complaint, "other-key")));
        Assert.DoesNotContain("complained", (await tenant.Sender.EmailAsync(id)).EventTypes());
    }

    [Fact]
    public async Task TextThatIsNotText_BeforeTheSignatureIsRead_IsAValidationError()
    {
        var (_, _, _, url) = await SentAsync(Unique("mg"));
        foreach (var body in EspWebhookCalls.WithTextThatIsNot("{\"signature\":{\"timestamp\":", ",\"token\":\"x\",\"signature\":\"y\"}}"))
        {
            var error = await (await _app.PostRawAsync(url, body)).ErrorAsync(400, "VALIDATION_ERROR");
            Assert.Equal("body.signature.timestamp", Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
        }
    }
}

public sealed class MailgunWebhookSqliteTests(SqliteFactory app, EspStandIn esp)
    : MailgunWebhookTests(app, esp), IClassFixture<SqliteFactory>, IClassFixture<EspStandIn>;

public sealed class MailgunWebhookPostgresTests(PostgresFactory app, EspStandIn esp)
    : MailgunWebhookTests(app, esp), IClassFixture<PostgresFactory>, IClassFixture<EspStandIn>;
