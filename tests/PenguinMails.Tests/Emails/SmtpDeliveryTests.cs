using System.Net;
using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Emails;

/// <summary>Delivery through a real SMTP server on loopback: the MIME it receives, retries, bounces.</summary>
public abstract partial class SmtpDeliveryTests
{
    /// <summary>The operator's DKIM key of every server of these tests (selector pm1, domain example.com): installation mail's.</summary>
    private static readonly RSA DkimKey = RSA.Create(2048);

    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected SmtpDeliveryTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (_app, _smtp) = (app, smtp);
        foreach (var (name, value) in smtp.Settings())
        {
            app.Settings[name] = value;
        }

        app.Settings["PenguinMails:Dkim:Domain"] = "example.com";
        app.Settings["PenguinMails:Dkim:Selector"] = "pm1";
        app.Settings["PenguinMails:Dkim:PrivateKey"] = DkimKey.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>A tenant's mail is signed with its From domain's key (the seeded example.com's), not the operator's.</summary>
    private static bool DkimVerifies(MimeMessage message)
    {
        var header = message.Headers.First(h => h.Id == HeaderId.DkimSignature);
        Assert.Contains($"s={PenguinMailsFactory.SeededSelector};", header.Value.Replace(" ", ""));
        return new DkimVerifier(new KeyLocator(Convert.ToBase64String(PenguinMailsFactory.SeededDomainKey.ExportSubjectPublicKeyInfo()))).Verify(message, header);
    }

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Send_RelayReceivesHeadersBothBodiesTrackedLinksAndListUnsubscribe()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique("full");
        var bcc = Unique("hidden");
        var id = await client.SendAsync(new
        {
            from = "Penguin <news@example.com>", to, cc = "cc@example.com", bcc, reply_to = "help@example.com",
            subject = "Größe matters", text_body = "Plain words", html_body = "<p>Read <a href=\"https://example.org/a?x=1&amp;y=2\">this</a></p>",
            headers = new Dictionary<string, string> { ["X-Campaign"] = "spring" },
        });
        await _app.WaitForStatusAsync(client, id, "sent");
        var message = Assert.Single(_smtp.MessagesTo(to));
        Assert.Contains(bcc, message.Headers["X-Test-Rcpt-To"]);
        Assert.Empty(message.Bcc);
        Assert.Equal("news@example.com", message.From.Mailboxes.Single().Address);
        Assert.Equal("cc@example.com", message.Cc.Mailboxes.Single().Address);
        Assert.Equal("help@example.com", message.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal("Größe matters", message.Subject);
        Assert.Equal("spring", message.Headers["X-Campaign"]);
        Assert.Equal(id, message.Headers["X-PenguinMails-Id"]);
        Assert.StartsWith(id[4..] + "@", message.MessageId);
        Assert.Equal("Plain words", message.TextBody!.Trim());
        var links = TrackedLinks().Matches(message.HtmlBody!).Select(m => m.Value).ToList();
        Assert.Single(links);
        Assert.DoesNotContain("example.org", message.HtmlBody);
        Assert.Matches(@"/t/o/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+", message.HtmlBody);
        Assert.Matches(@"^<http://localhost:5080/t/u/[^>]+>$", message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.True(DkimVerifies(message), "the DKIM signature verifies with the public key");
        var email = await client.EmailAsync(id);
        Assert.Equal(["queued", "sent", "sent", "sent"], email.EventTypes());
        Assert.Equal("sent", email["delivery_attempts"]![0]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task TemplateSend_RelayReceivesTheRenderedTemplate_Signed()
    {
        var (_, client) = await _app.TenantClientAsync();
        var slug = "welcome-" + Guid.NewGuid().ToString("N")[..8];
        await (await client.PostJsonAsync("/api/v1/templates", new
        {
            slug, name = "Welcome", subject = "Welcome, {{name}}", html_body = "<h1>Hi {{name}}</h1><p>{{company}}</p>", text_body = "Hi {{name}} of {{company}}",
        })).DataAsync(201);
        var to = Unique("templated");
        var id = await client.SendAsync(new { from = "s@example.com", to, template_id = slug, variables = new { name = "Alice", company = "<Acme & Co>" } });
        await _app.WaitForStatusAsync(client, id, "sent");
        var message = Assert.Single(_smtp.MessagesTo(to));
        Assert.Equal("Welcome, Alice", message.Subject);
        Assert.Contains("<h1>Hi Alice</h1><p>&lt;Acme &amp; Co&gt;</p>", message.HtmlBody);
        Assert.Equal("Hi Alice of <Acme & Co>", message.TextBody!.Trim());
        Assert.True(DkimVerifies(message));
    }

    [Fact]
    public async Task TemplateSend_MissingTemplateOrVariable_422()
    {
        var (_, client) = await _app.TenantClientAsync();
        await (await client.PostJsonAsync("/api/v1/emails/send", new { from = "s@example.com", to = "a@example.com", template_id = "nope-v1" }))
            .ErrorAsync(422, "TEMPLATE_NOT_FOUND");
        var slug = "needs-" + Guid.NewGuid().ToString("N")[..8];
        await (await client.PostJsonAsync("/api/v1/templates", new { slug, name = "n", subject = "Hi {{name}}", html_body = "<p>{{name}}</p>" })).DataAsync(201);
        var error = await (await client.PostJsonAsync("/api/v1/emails/send", new { from = "s@example.com", to = "a@example.com", template_id = slug }))
            .ErrorAsync(422, "MISSING_TEMPLATE_VARIABLES");
        Assert.Equal("variables.name", error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task TrackedLinksAndPixel_RecordClicksAndOpens_AndRedirectOnlyToTheSignedUrl()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique("track");
        var id = await client.SendAsync(new
        {
            from = "s@example.com", to, subject = "Links", html_body = "<a href='https://example.org/page'>x</a><a href=\"mailto:a@b.c\">m</a>",
        });
        await _app.WaitForStatusAsync(client, id, "sent");
        var html = Assert.Single(_smtp.MessagesTo(to)).HtmlBody!;
        Assert.Contains("mailto:a@b.c", html);
        var click = new Uri(TrackedLinks().Match(html).Value).PathAndQuery;
        var pixel = new Uri(Regex.Match(html, @"http://localhost:5080/t/o/[^""]+").Value).PathAndQuery;
        var anonymous = _app.Client();
        for (var i = 0; i < 2; i++)
        {
            var redirect = await anonymous.GetAsync(click);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal("https://example.org/page", redirect.Headers.Location!.ToString());
            var gif = await anonymous.GetAsync(pixel);
            Assert.Equal("image/gif", gif.Content.Headers.ContentType!.MediaType);
        }

        var tampered = click[..^3] + (click[^3..] == "AAA" ? "BBB" : "AAA");
        var refused = await anonymous.GetAsync(tampered);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("This link is not valid", await refused.Content.ReadAsStringAsync()); // a page for the person who clicked
        var tracking = (await client.EmailAsync(id))["tracking"]!;
        Assert.Equal(2, tracking["opens"]!["total"]!.GetValue<int>());
        Assert.Equal(1, tracking["opens"]!["unique"]!.GetValue<int>());
        Assert.Equal(2, tracking["clicks"]!["total"]!.GetValue<int>());
        Assert.Equal(1, tracking["clicks"]!["unique"]!.GetValue<int>());
    }

    [Fact]
    public async Task OneClickUnsubscribe_RecordsTheEvent()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique("unsub");
        var id = await client.SendAsync(EmailTestKit.Simple(to));
        await _app.WaitForStatusAsync(client, id, "sent");
        var link = new Uri(Assert.Single(_smtp.MessagesTo(to)).Headers["List-Unsubscribe"]!.Trim('<', '>')).PathAndQuery;
        var page = await _app.Client().GetAsync(link);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        var post = await _app.Client().PostAsync(link, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("unsubscribed", (await client.EmailAsync(id)).EventTypes()[^1]);
        await (await client.GetAsync($"/api/v1/suppressions/{to}")).DataAsync();
        var again = await client.SendAsync(EmailTestKit.Simple(to));
        await _app.WaitForStatusAsync(client, again, "suppressed");
        Assert.Single(_smtp.MessagesTo(to));
    }

    [Fact]
    public async Task Relay451Twice_DeliveredAfterRetriesWithBackoff()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique("tempfail2");
        var id = await client.SendAsync(EmailTestKit.Simple(to));
        var first = await _app.WaitForStatusAsync(client, id, "deferred");
        var next = first["next_attempt_at"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.True((next - _app.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(60)).Duration() < TimeSpan.FromSeconds(1), $"{next}");
        await WaitForAttemptsAsync(client, id, 1);
        var second = await AdvanceUntilAsync(client, id, 2, TimeSpan.FromSeconds(61));
        var wait2 = second["next_attempt_at"]!.GetValue<DateTime>().ToUniversalTime() - _app.Clock.GetUtcNow().UtcDateTime;
        Assert.True((wait2 - TimeSpan.FromSeconds(120)).Duration() < TimeSpan.FromSeconds(1), $"{wait2}");
        var email = await _app.WaitForStatusAsync(client, id, "sent", TimeSpan.FromSeconds(121));
        Assert.Equal(3, email["attempts"]!.GetValue<int>());
        Assert.Equal(["queued", "deferred", "deferred", "sent"], email.EventTypes());
        Assert.Equal(451, email["delivery_attempts"]![0]!["smtp_code"]!.GetValue<int>());
        Assert.Single(_smtp.MessagesTo(to));
    }

    [Fact]
    public async Task Relay421_ThenAccepts_Delivered()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique("down1");
        var id = await client.SendAsync(EmailTestKit.Simple(to));
        await _app.WaitForStatusAsync(client, id, "deferred");
        await _app.WaitForStatusAsync(client, id, "sent", TimeSpan.FromSeconds(61));
        Assert.Single(_smtp.MessagesTo(to));
    }

    [Fact]
    public async Task Relay550_Bounced()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = Unique("reject");
        var id = await client.SendAsync(EmailTestKit.Simple(to));
        var email = await _app.WaitForStatusAsync(client, id, "bounced");
        Assert.Equal("bounced", email["recipients"]![0]!["status"]!.GetValue<string>());
        Assert.StartsWith("550", email["recipients"]![0]!["detail"]!.GetValue<string>());
        Assert.Equal("bounced", email.EventTypes()[^1]);
        Assert.Empty(_smtp.MessagesTo(to));
        var suppression = await (await client.GetAsync($"/api/v1/suppressions/{to}")).DataAsync();
        Assert.Equal("hard_bounce", suppression["reason"]!.GetValue<string>());
        var again = await client.SendAsync(EmailTestKit.Simple(to));
        var suppressed = await _app.WaitForStatusAsync(client, again, "suppressed");
        Assert.Equal("suppressed", suppressed.EventTypes()[^1]);
        Assert.DoesNotContain(suppressed["delivery_attempts"]!.AsArray(), a => a!["outcome"]!.GetValue<string>() == "sent");
    }

    [Fact]
    public async Task OneRecipientRefused_OthersDelivered_EachWithItsStatus()
    {
        var (_, client) = await _app.TenantClientAsync();
        var good = Unique("good");
        var bad = Unique("reject");
        var id = await client.SendAsync(new { from = "s@example.com", to = new[] { good, bad }, subject = "two", text_body = "t" });
        var email = await _app.WaitForStatusAsync(client, id, "sent");
        var statuses = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal("sent", statuses[good]);
        Assert.Equal("bounced", statuses[bad]);
        Assert.DoesNotContain(bad, Assert.Single(_smtp.MessagesTo(good)).Headers["X-Test-Rcpt-To"]);
    }

    /// <summary>An internationalized domain written in capitals reaches the relay as the domain UTS #46 maps it to (its
    /// punycode xn--bcher-kva, or the UTF-8 name where the relay takes SMTPUTF8), never as xn--bcher-2pa, a domain nobody owns.</summary>
    [Fact]
    public async Task AnInternationalDomainInCapitals_ReachesTheRelayAsItsOneName()
    {
        var (_, client) = await _app.TenantClientAsync();
        var local = $"idn-{Guid.NewGuid():N}";
        var id = await client.SendAsync(new { from = "s@example.com", to = $"{local}@BÜCHER.example", subject = "idn", text_body = "t" });
        await _app.WaitForStatusAsync(client, id, "sent");

        var received = Assert.Single(_smtp.MessagesTo($"{local}@"));
        var rcpt = received.Headers["X-Test-Rcpt-To"] ?? "";
        Assert.True(rcpt.Contains($"{local}@xn--bcher-kva.example", StringComparison.Ordinal)
            || rcpt.Contains($"{local}@bücher.example", StringComparison.Ordinal), rcpt); // a U-label is lower case (RFC 5891)
        Assert.DoesNotContain("2pa", received.To.ToString());
    }

    /// <summary>A recipient stored before the address rule refused its form (here written straight into the row, as an
    /// older version could) fails at once with a reason, and is not retried until the deadline; the others are sent.</summary>
    [Fact]
    public async Task ARecipientStoredBeforeTheAddressRule_FailsAtOnce_TheOthersAreSent()
    {
        var (_, client) = await _app.TenantClientAsync();
        var good = Unique("kept");
        var legacy = Unique("legacy");
        var id = await client.SendAsync(new
        {
            from = "s@example.com", to = new[] { good, legacy }, subject = "old row", text_body = "t", scheduled_at = _app.Clock.GetUtcNow().AddMinutes(5),
        });
        var rewritten = await _app.RowsAsync(db => db.Set<PenguinMails.Emails.EmailRecipient>().IgnoreQueryFilters().Where(r => r.Email == legacy)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Address, "a.@example.com").SetProperty(x => x.Email, "a.@example.com")));
        Assert.Equal(1, rewritten);

        _app.Advance(TimeSpan.FromMinutes(6));
        _app.Services.GetRequiredService<PenguinMails.Delivery.DispatchSignal>().Notify();
        var email = await _app.WaitForStatusAsync(client, id, "sent");

        var recipients = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!);
        Assert.Equal("sent", recipients[good]["status"]!.GetValue<string>());
        Assert.Equal("failed", recipients["a.@example.com"]["status"]!.GetValue<string>());
        Assert.Single(email["delivery_attempts"]!.AsArray());
        Assert.Null(email["next_attempt_at"]);
        Assert.DoesNotContain("a.@example.com", Assert.Single(_smtp.MessagesTo(good)).Headers["X-Test-Rcpt-To"]);
    }

    private static async Task WaitForAttemptsAsync(HttpClient client, string id, int attempts) =>
        await PenguinMailsFactory.Eventually(async () =>
            (await client.EmailAsync(id))["delivery_attempts"]!.AsArray().Count >= attempts, $"{id} has {attempts} attempts");

    private async Task<System.Text.Json.Nodes.JsonNode> AdvanceUntilAsync(HttpClient client, string id, int attempts, TimeSpan by)
    {
        _app.Advance(by);
        System.Text.Json.Nodes.JsonNode? email = null;
        await PenguinMailsFactory.Eventually(async () =>
        {
            _app.Services.GetRequiredService<PenguinMails.Delivery.DispatchSignal>().Notify();
            email = await client.EmailAsync(id);
            return email["delivery_attempts"]!.AsArray().Count >= attempts && email["status"]!.GetValue<string>() == "deferred";
        }, $"{id} has {attempts} attempts");
        return email!;
    }

    private sealed class KeyLocator(string publicKeyBase64) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey($"v=DKIM1; k=rsa; p={publicKeyBase64}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }

    [GeneratedRegex(@"http://localhost:5080/t/c/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")]
    private static partial Regex TrackedLinks();
}

public sealed class SmtpDeliverySqliteTests(SqliteFactory app, SmtpServer smtp)
    : SmtpDeliveryTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class SmtpDeliveryPostgresTests(PostgresFactory app, SmtpServer smtp)
    : SmtpDeliveryTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;
