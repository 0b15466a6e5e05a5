using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using static PenguinMails.Tests.Esp.EspTestKit;

namespace PenguinMails.Tests.Esp;

/// <summary>Delivery through Postmark and Mailgun (the stand-in on loopback): the wire format, the recorded id, every answer mapped.</summary>
public abstract class EspDeliveryTests
{
    private static readonly System.Security.Cryptography.RSA DkimKey = System.Security.Cryptography.RSA.Create(2048);

    private readonly PenguinMailsFactory _app;
    private readonly EspStandIn _esp;

    protected EspDeliveryTests(PenguinMailsFactory app, EspStandIn esp)
    {
        (_app, _esp) = (app, esp);
        foreach (var (name, value) in esp.Settings())
        {
            app.Settings[name] = value;
        }

        app.Settings["PenguinMails:Emails:MaxRecipients"] = "120";
        app.Settings["PenguinMails:Dkim:Domain"] = "example.com";
        app.Settings["PenguinMails:Dkim:Selector"] = "pm1";
        app.Settings["PenguinMails:Dkim:PrivateKey"] = DkimKey.ExportPkcs8PrivateKeyPem();
    }

    [Fact]
    public async Task Postmark_Send_CarriesEveryFieldAndRecordsItsMessageId()
    {
        var tenant = await _app.EspTenantAsync(PostmarkSettings());
        var (to, bcc) = (Unique("pm"), Unique("pm-hidden"));
        var id = await tenant.Sender.SendAsync(new
        {
            from = "\"Penguin, Ops\" <news@example.com>", to, cc = "cc@example.com", bcc, reply_to = "help@example.com",
            subject = "Größe", text_body = "Plain", html_body = "<p><a href=\"https://example.org/x\">x</a><img src=\"cid:logo\"></p>", track_clicks = true,
            headers = new Dictionary<string, string> { ["X-Campaign"] = "spring" },
            attachments = new object[]
            {
                new { filename = "Rechnung März.pdf", content = Convert.ToBase64String("%PDF-1.4 invoice"u8.ToArray()), content_type = "application/pdf" },
                new { filename = "logo.png", content = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47]), content_type = "image/png", content_id = "logo" },
            },
        });
        var email = await _app.WaitForStatusAsync(tenant.Sender, id, "sent");
        var call = Assert.Single(_esp.Postmark, c => c.Body["To"]?.GetValue<string>() == to);
        var body = call.Body;
        Assert.Equal("\"Penguin, Ops\" <news@example.com>", body["From"]!.GetValue<string>());
        Assert.Equal("cc@example.com", body["Cc"]!.GetValue<string>());
        Assert.Equal(bcc, body["Bcc"]!.GetValue<string>());
        Assert.Equal("help@example.com", body["ReplyTo"]!.GetValue<string>());
        Assert.Equal("Größe", body["Subject"]!.GetValue<string>());
        Assert.Equal("Plain", body["TextBody"]!.GetValue<string>().Trim());
        Assert.Contains("/t/c/", body["HtmlBody"]!.GetValue<string>());
        Assert.Equal("outbound", body["MessageStream"]!.GetValue<string>());
        Assert.Equal(id, body["Metadata"]!["penguinmails_id"]!.GetValue<string>());
        var headers = body["Headers"]!.AsArray().ToDictionary(h => h!["Name"]!.GetValue<string>(), h => h!["Value"]!.GetValue<string>());
        Assert.Equal("spring", headers["X-Campaign"]);
        Assert.Equal(id, headers["X-PenguinMails-Id"]);
        Assert.StartsWith("<http://localhost:5080/t/u/", headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", headers["List-Unsubscribe-Post"]);
        Assert.DoesNotContain("DKIM-Signature", headers.Keys, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("From", headers.Keys, StringComparer.OrdinalIgnoreCase);
        var files = body["Attachments"]!.AsArray().ToDictionary(a => a!["Name"]!.GetValue<string>());
        Assert.Equal(2, files.Count); // the inline image too, which MimeKit does not count among "attachments"
        Assert.Equal("%PDF-1.4 invoice", System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(files["Rechnung März.pdf"]!["Content"]!.GetValue<string>())));
        Assert.Equal("application/pdf", files["Rechnung März.pdf"]!["ContentType"]!.GetValue<string>());
        Assert.Null(files["Rechnung März.pdf"]!["ContentID"]);
        Assert.Equal("cid:logo", files["logo.png"]!["ContentID"]!.GetValue<string>());
        Assert.Equal(call.MessageId, email["esp_message_id"]!.GetValue<string>());
        Assert.Contains("ErrorCode 0", email["delivery_attempts"]![0]!["response"]!.GetValue<string>());
        Assert.All(email["recipients"]!.AsArray(), r => Assert.Equal("sent", r!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Postmark_InactiveRecipient_BouncesAndSuppressesOnlyTheAddressPostmarkNames_TheOthersGetItOnTheRetry()
    {
        var tenant = await _app.EspTenantAsync(PostmarkSettings());
        var (to, cc) = (Unique("inactive"), Unique("active"));
        var id = await tenant.Sender.SendAsync(new { from = "news@example.com", to, cc, subject = "Hi", text_body = "Hi" });
        var email = await _app.WaitForStatusAsync(tenant.Sender, id, "deferred");
        Assert.Contains("ErrorCode 406", email["last_error"]!.GetValue<string>());
        var statuses = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal("bounced", statuses[to]);
        Assert.Equal("pending", statuses[cc]);

        email = await _app.WaitForStatusAsync(tenant.Sender, id, "sent", advance: TimeSpan.FromHours(1));
        statuses = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal(("bounced", "sent"), (statuses[to], statuses[cc]));
        var retry = Assert.Single(_esp.Postmark, c => c.Body["Metadata"]!["penguinmails_id"]!.GetValue<string>() == id);
        Assert.Equal(cc, retry.Body["Cc"]!.GetValue<string>());
        Assert.Null(retry.Body["To"]);
        var suppression = await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).DataAsync();
        Assert.Equal("hard_bounce", suppression["reason"]!.GetValue<string>());
        await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{cc}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task Postmark_MoreThanFiftyRecipients_GoAsPartsOfOneBatch_EachPartJudgedForItsOwnRecipients()
    {
        var tenant = await _app.EspTenantAsync(PostmarkSettings());
        var tag = Guid.NewGuid().ToString("N")[..8];
        var to = Enumerable.Range(0, 101).Select(i => $"r{i}-{tag}@example.com").ToList();
        to[75] = Unique("inactive"); // the part it falls in is refused; the others are sent
        var id = await tenant.Sender.SendAsync(new { from = "news@example.com", to, subject = "Many", text_body = "Hi" });
        var email = await _app.WaitForStatusAsync(tenant.Sender, id, "deferred");

        var parts = _esp.Postmark.Where(c => c.Body["Metadata"]!["penguinmails_id"]!.GetValue<string>() == id).ToList();
        var sizes = parts.Select(p => p.Body["To"]!.GetValue<string>().Split(", ").Length).Order().ToList();
        Assert.True(sizes.SequenceEqual([1, 50]) || sizes.SequenceEqual([50, 50]), $"parts of 50, 50 and 1, one refused: {string.Join(", ", sizes)}");
        Assert.Contains(_esp.BatchCalls, n => n == 3);
        Assert.Equal(parts.Select(p => p.MessageId).Order(), email["delivery_attempts"]![0]!["response"]!.GetValue<string>()
            .Split("MessageID ")[1].TrimEnd(')').Split(", ").Order());
        var statuses = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal("bounced", statuses[to[75]]);
        var refusedPart = 101 - sizes.Sum();
        Assert.Equal(refusedPart - 1, statuses.Values.Count(s => s == "pending"));
        Assert.Equal(sizes.Sum(), statuses.Values.Count(s => s == "sent"));

        // The retry sends the 49 others of the refused part, without the bounced address, as one Postmark message.
        email = await _app.WaitForStatusAsync(tenant.Sender, id, "sent", advance: TimeSpan.FromHours(1));
        Assert.Equal(100, email["recipients"]!.AsArray().Count(r => r!["status"]!.GetValue<string>() == "sent"));
        var retry = Assert.Single(_esp.Postmark, c => c.Body["Metadata"]!["penguinmails_id"]!.GetValue<string>() == id && !parts.Contains(c));
        Assert.Equal(refusedPart - 1, retry.Body["To"]!.GetValue<string>().Split(", ").Length);
        Assert.DoesNotContain(to[75], retry.Body["To"]!.GetValue<string>());
        var suppression = await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to[75]}")).DataAsync();
        Assert.Equal("hard_bounce", suppression["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Postmark_InvalidRequest_FailsWithoutSuppressing()
    {
        var tenant = await _app.EspTenantAsync(PostmarkSettings());
        var to = Unique("invalid");
        var email = await _app.WaitForStatusAsync(tenant.Sender, await tenant.Sender.SendAsync(EmailTestKit.Simple(to)), "failed");
        Assert.Contains("ErrorCode 300", email["last_error"]!.GetValue<string>());
        await (await tenant.Sender.GetAsync($"/api/v1/suppressions/{to}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task Postmark_RateLimited_DefersUntilAfterRetryAfter()
    {
        var tenant = await _app.EspTenantAsync(PostmarkSettings());
        var email = await _app.WaitForStatusAsync(tenant.Sender, await tenant.Sender.SendAsync(EmailTestKit.Simple(Unique("ratelimit"))), "deferred");
        Assert.Contains("Postmark answered 429", email["last_error"]!.GetValue<string>());
        var attempt = email["delivery_attempts"]![0]!["started_at"]!.GetValue<DateTime>();
        Assert.True(email["next_attempt_at"]!.GetValue<DateTime>() >= attempt.AddSeconds(900), "the retry waits the 900 s of Retry-After");
    }

    [Fact]
    public async Task Postmark_WrongServerToken_IsAConfigurationErrorRetriedAndShown()
    {
        var tenant = await _app.EspTenantAsync(PostmarkSettings("not-the-token"));
        var email = await _app.WaitForStatusAsync(tenant.Sender, await tenant.Sender.SendAsync(EmailTestKit.Simple(Unique("pm"))), "deferred");
        var error = email["last_error"]!.GetValue<string>();
        Assert.Contains("Postmark answered 401, ErrorCode 10", error);
        Assert.Contains("configuration error", error);
        Assert.DoesNotContain("not-the-token", email.ToJsonString());
    }

    [Fact]
    public async Task Mailgun_Send_PostsOurSignedMimeAsItIsAndRecordsItsId()
    {
        var tenant = await _app.EspTenantAsync(MailgunSettings());
        var (to, bcc) = (Unique("mg"), Unique("mg-hidden"));
        var id = await tenant.Sender.SendAsync(new { from = "news@example.com", to, bcc, subject = "Hello", text_body = "Hi" });
        var email = await _app.WaitForStatusAsync(tenant.Sender, id, "sent");
        var call = Assert.Single(_esp.Mailgun, c => c.To.Contains(to));
        Assert.Contains(bcc, call.To);
        Assert.Equal(id, call.Fields["v:penguinmails_id"]);
        var message = EspStandIn.Parse(call);
        Assert.Equal(id, message.Headers["X-PenguinMails-Id"]);
        Assert.Empty(message.Bcc);
        var signature = message.Headers.First(h => h.Id == HeaderId.DkimSignature);
        // Signed with the From domain's own key (the tenant's verified example.com), not the operator's.
        Assert.Contains("d=example.com", signature.Value);
        Assert.Contains($"s={PenguinMailsFactory.SeededSelector}", signature.Value);
        var verifier = new DkimVerifier(new KeyLocator(Convert.ToBase64String(PenguinMailsFactory.SeededDomainKey.ExportSubjectPublicKeyInfo())));
        Assert.True(verifier.Verify(message, signature), "the MIME Mailgun received carries our DKIM signature, still valid");
        Assert.Equal(call.Id, email["esp_message_id"]!.GetValue<string>());
        Assert.Contains("Queued. Thank you.", email["delivery_attempts"]![0]!["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mailgun_BadRequest_FailsTheMessage()
    {
        var tenant = await _app.EspTenantAsync(MailgunSettings());
        var email = await _app.WaitForStatusAsync(tenant.Sender, await tenant.Sender.SendAsync(EmailTestKit.Simple(Unique("bad"))), "failed");
        Assert.Contains("Mailgun answered 400: to parameter is not a valid address", email["last_error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mailgun_WrongApiKey_IsAConfigurationErrorRetriedAndShown()
    {
        var tenant = await _app.EspTenantAsync(MailgunSettings(key: "key-wrong"));
        var email = await _app.WaitForStatusAsync(tenant.Sender, await tenant.Sender.SendAsync(EmailTestKit.Simple(Unique("mg"))), "deferred");
        Assert.Contains("Mailgun answered 401: Forbidden (a configuration error", email["last_error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Mailgun_RateLimitedOrDown_DefersAndHonoursRetryAfter()
    {
        var tenant = await _app.EspTenantAsync(MailgunSettings());
        var limited = await _app.WaitForStatusAsync(tenant.Sender, await tenant.Sender.SendAsync(EmailTestKit.Simple(Unique("ratelimit"))), "deferred");
        var attempt = limited["delivery_attempts"]![0]!["started_at"]!.GetValue<DateTime>();
        Assert.True(limited["next_attempt_at"]!.GetValue<DateTime>() >= attempt.AddSeconds(900));
        var down = await _app.WaitForStatusAsync(tenant.Sender, await tenant.Sender.SendAsync(EmailTestKit.Simple(Unique("down"))), "deferred");
        Assert.Contains("Mailgun answered 503", down["last_error"]!.GetValue<string>());
    }

    [Fact]
    public async Task EachMessage_TakesItsOwnTenantsTransport()
    {
        var postmark = await _app.EspTenantAsync(PostmarkSettings());
        var (_, relay) = await _app.TenantClientAsync();
        var viaRelay = await relay.SendAsync(EmailTestKit.Simple(Unique("relay")));
        var viaPostmark = await postmark.Sender.SendAsync(EmailTestKit.Simple(Unique("pm")));
        var relayed = await _app.WaitForStatusAsync(relay, viaRelay, "sent");
        await _app.WaitForStatusAsync(postmark.Sender, viaPostmark, "sent");
        Assert.Null(relayed["esp_message_id"]?.GetValue<string>());
        Assert.Contains("pickup directory", relayed["delivery_attempts"]![0]!["response"]!.GetValue<string>());
        Assert.DoesNotContain(_esp.Postmark, c => c.Body["Metadata"]!["penguinmails_id"]!.GetValue<string>() == viaRelay);
        Assert.Contains(_esp.Postmark, c => c.Body["Metadata"]!["penguinmails_id"]!.GetValue<string>() == viaPostmark);
    }

    private sealed class KeyLocator(string publicKeyBase64) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey($"v=DKIM1; k=rsa; p={publicKeyBase64}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}

public sealed class EspDeliverySqliteTests(SqliteFactory app, EspStandIn esp)
    : EspDeliveryTests(app, esp), IClassFixture<SqliteFactory>, IClassFixture<EspStandIn>;

public sealed class EspDeliveryPostgresTests(PostgresFactory app, EspStandIn esp)
    : EspDeliveryTests(app, esp), IClassFixture<PostgresFactory>, IClassFixture<EspStandIn>;
