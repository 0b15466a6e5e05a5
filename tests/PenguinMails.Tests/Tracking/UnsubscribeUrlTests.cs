using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PenguinMails.Data;
using PenguinMails.Tests.Campaigns;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Tracking;

/// <summary>
/// <c>{{unsubscribe_url}}</c> in inline, template and campaign bodies, as a real SMTP server receives them: each message's
/// own one-click link (the one of its List-Unsubscribe header), never tracked, never a missing variable, and it
/// unsubscribes its recipient when followed. These servers configure a mailto: unsubscribe (RFC 2369) beside it.
/// </summary>
public abstract partial class UnsubscribeUrlTests
{
    private const string Mailto = "unsubscribe@mail.example.com";
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected UnsubscribeUrlTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (_app, _smtp) = (app, smtp);
        foreach (var (name, value) in smtp.Settings())
        {
            app.Settings[name] = value;
        }

        app.Settings["PenguinMails:Tracking:UnsubscribeMailto"] = Mailto;
    }

    private static string Unique(string local) => $"{local}-{Guid.NewGuid():N}@example.com";

    /// <summary>The https link of List-Unsubscribe, after checking the header's RFC 2369 form with the mailto: beside it.</summary>
    private static string Link(MimeMessage message)
    {
        var header = HeaderForm().Match(message.Headers["List-Unsubscribe"]!);
        Assert.True(header.Success, message.Headers["List-Unsubscribe"]);
        Assert.EndsWith("/t/u/" + header.Groups["token"].Value, header.Groups["url"].Value);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        return header.Groups["url"].Value;
    }

    [Fact]
    public async Task InlineBody_UnsubscribeUrl_IsTheMessagesOwnUntrackedLink_AndUnsubscribesWhenFollowed()
    {
        var (tenant, client) = await _app.TenantClientAsync();
        var to = Unique("leaver");
        var id = await client.SendAsync(new
        {
            from = "s@example.com", to, subject = "News",
            html_body = "<p><a href=\"https://example.org/read\">Read</a> · <a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>",
            text_body = "Leave: {{{ unsubscribe_url }}}",
        });
        await _app.WaitForStatusAsync(client, id, "sent");
        var message = Assert.Single(_smtp.MessagesTo(to));
        var link = Link(message);
        Assert.Contains($"<a href=\"{WebUtility.HtmlEncode(link)}\">Unsubscribe</a>", message.HtmlBody);
        Assert.Single(Regex.Matches(message.HtmlBody!, "/t/c/"));
        Assert.Equal($"Leave: {link}", message.TextBody!.Trim());
        Assert.DoesNotContain("unsubscribe_url", message.HtmlBody + message.TextBody);

        var path = new Uri(link).PathAndQuery;
        var page = await _app.Client().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Unsubscribe", await page.Content.ReadAsStringAsync());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var done = await _app.Client().PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Contains("You are unsubscribed", await done.Content.ReadAsStringAsync());
        Assert.Contains("unsubscribed", (await client.EmailAsync(id)).EventTypes());
        Assert.True(await _app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().Suppressions.AnyAsync(s => s.Email == to)));
    }

    /// <summary>
    /// Recipients open these links in a browser: one that is not valid (cut short when copied, a forged token) answers a
    /// page saying so, never the API's JSON envelope, with the same security headers as every recipient page.
    /// </summary>
    [Theory]
    [InlineData("GET", "/t/c/bogus")]
    [InlineData("GET", "/t/u/bogus")]
    [InlineData("POST", "/t/u/bogus")]
    public async Task ALinkThatIsNotValid_AnswersAPageForAPerson_NotJson(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]);
        }

        var answer = await _app.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This link is not valid", await answer.Content.ReadAsStringAsync());
        Assert.Equal("DENY", answer.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", answer.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Template_UnsubscribeUrl_NeverAMissingVariable_EachMessageOfABatchGetsItsOwn()
    {
        var (_, client) = await _app.TenantClientAsync();
        var slug = "news-" + Guid.NewGuid().ToString("N")[..8];
        var template = await (await client.PostJsonAsync("/api/v1/templates", new
        {
            slug, name = "News", subject = "News for {{name}}",
            html_body = "<p>Hi {{name}}</p><a href=\"{{unsubscribe_url}}\">Stop</a>", text_body = "Stop: {{unsubscribe_url}}",
        })).DataAsync(201);
        Assert.Equal(["name"], template["required_variables"]!.AsArray().Select(v => v!.GetValue<string>()));
        var missing = await (await client.PostJsonAsync("/api/v1/emails/send", new { from = "s@example.com", to = "x@example.com", template_id = slug }))
            .ErrorAsync(422, "MISSING_TEMPLATE_VARIABLES");
        Assert.Equal(["variables.name"], missing["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()));

        var (a, b) = (Unique("tpl-a"), Unique("tpl-b"));
        var batch = await (await client.PostJsonAsync("/api/v1/emails/batch", new
        {
            emails = new[] { a, b }.Select(to => new { from = "s@example.com", to, template_id = slug, variables = new { name = "<Ann>" } }),
        })).DataAsync();
        foreach (var result in batch["results"]!.AsArray())
        {
            await _app.WaitForStatusAsync(client, result!["id"]!.GetValue<string>(), "sent");
        }

        var links = new List<string>();
        foreach (var to in new[] { a, b })
        {
            var message = Assert.Single(_smtp.MessagesTo(to));
            var link = Link(message);
            Assert.Contains($"<p>Hi &lt;Ann&gt;</p><a href=\"{WebUtility.HtmlEncode(link)}\">Stop</a>", message.HtmlBody);
            Assert.Equal($"Stop: {link}", message.TextBody!.Trim());
            links.Add(link);
        }

        Assert.NotEqual(links[0], links[1]);
    }

    [Fact]
    public async Task Campaign_UnsubscribeUrl_EachRecipientGetsTheirOwn()
    {
        var (tenant, client) = await _app.CampaignClientAsync();
        var people = new[] { Unique("ann"), Unique("bob") };
        await _app.AddContactsAsync(tenant, people.Select(p => new CampaignKit.Person(p, "Reader")));
        var id = (await client.CreateCampaignAsync(new
        {
            name = "Digest", subject = "Digest", from = "news@example.com", audience = new { all = true },
            html_body = "<p>Hello {{first_name}}</p><p><a href=\"{{{unsubscribe_url}}}\">Unsubscribe</a></p>", text_body = "Unsubscribe: {{unsubscribe_url}}",
        }))["id"]!.GetValue<string>();
        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        await _app.WaitForCampaignAsync(client, id, c => c.Status() == "sent", "the campaign is sent");

        var links = people.Select(p =>
        {
            var message = Assert.Single(_smtp.MessagesTo(p));
            var link = Link(message);
            Assert.Contains($"<a href=\"{WebUtility.HtmlEncode(link)}\">Unsubscribe</a>", message.HtmlBody);
            Assert.Equal($"Unsubscribe: {link}", message.TextBody!.Trim());
            return link;
        }).ToList();
        Assert.NotEqual(links[0], links[1]);
    }

    [GeneratedRegex(@"^<(?<url>http://localhost:5080/t/u/[A-Za-z0-9_\-.]+)>, <mailto:unsubscribe@mail\.example\.com\?subject=unsubscribe%20(?<token>[A-Za-z0-9_\-.]+)>$")]
    private static partial Regex HeaderForm();
}

public sealed class UnsubscribeUrlSqliteTests(SqliteFactory app, SmtpServer smtp)
    : UnsubscribeUrlTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class UnsubscribeUrlPostgresTests(PostgresFactory app, SmtpServer smtp)
    : UnsubscribeUrlTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;

/// <summary>The operator's mailto: setting: a bare address is taken, anything that would break the header stops the server.</summary>
public sealed class UnsubscribeMailtoSettingTests
{
    [Theory]
    [InlineData("")]
    [InlineData("unsubscribe@mail.example.com")]
    public void BareAddressOrNothing_Accepted(string configured) =>
        Assert.Equal(configured.Length == 0 ? null : configured, PenguinMails.Tracking.UnsubscribeLinks.MailtoAddress(configured));

    [Theory]
    [InlineData("Unsubscribe <u@example.com>")]
    [InlineData("u>@example.com")]
    [InlineData("not an address")]
    [InlineData("u?x=1@example.com")]
    [InlineData("dörte@example.com")]
    public void AnythingElse_StopsTheServerNamingTheSetting(string configured) =>
        Assert.Contains("PenguinMails:Tracking:UnsubscribeMailto",
            Assert.Throws<InvalidOperationException>(() => PenguinMails.Tracking.UnsubscribeLinks.MailtoAddress(configured)).Message);
}
