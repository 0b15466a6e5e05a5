using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Tracking;

/// <summary>Click-through links as a recipient follows them: whatever a message's links hold, the redirect is valid.</summary>
public abstract partial class TrackedLinkTests
{
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected TrackedLinkTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (_app, _smtp) = (app, smtp);
        foreach (var (name, value) in smtp.Settings())
        {
            app.Settings[name] = value;
        }
    }

    [Fact]
    public async Task TrackedLinks_NonAsciiOrControlCharacters_RedirectToAsciiForm_InvalidLinksLeftAsTheyAre()
    {
        var untouched = new[] { "javascript:alert(1)", "/relative/page", "mailto:a@example.com", "https://exa mple.com/", "https:///path", "#top" };
        var links = new (string Href, string Ascii)[]
        {
            ("https://bücher.example/katalog/straße?q=ä ö", "https://xn--bcher-kva.example/katalog/stra%C3%9Fe?q=%C3%A4%20%C3%B6"),
            ("https://example.com/a b&#9;c&#1;d", "https://example.com/a%20bc%01d"),
            ("  https://münchen.example/\nü#teil ", "https://xn--mnchen-3ya.example/%C3%BC#teil"),
        };
        var html = string.Concat(links.Select(l => $"<a href=\"{l.Href}\">x</a>")) + string.Concat(untouched.Select(u => $"<a href=\"{u}\">u</a>"));
        var (client, id, sent) = await SendAsync(html);

        foreach (var href in untouched)
        {
            Assert.Contains($"href=\"{href}\"", sent);
        }

        var tracked = TrackedLinks().Matches(sent).Select(m => new Uri(m.Value).PathAndQuery).ToList();
        Assert.Equal(links.Length, tracked.Count);
        var anonymous = _app.Client();
        foreach (var (link, (_, ascii)) in tracked.Zip(links))
        {
            var redirect = await anonymous.GetAsync(link);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal(ascii, redirect.Headers.Location!.OriginalString);
        }

        var email = await client.EmailAsync(id);
        Assert.Equal(links.Length, email["tracking"]!["clicks"]!["total"]!.GetValue<int>());
        var clicked = email["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "clicked").Select(e => e!["detail"]!.GetValue<string>());
        Assert.Equal(links.Select(l => l.Ascii).Order(), clicked.Order());
    }

    [Fact]
    public async Task TrackedLinks_AnyLength_ShortTokenThatRedirects()
    {
        var target = "https://example.com/long?q=" + new string('a', 9000);
        var (_, _, sent) = await SendAsync($"<a href=\"{target}\">long</a>");
        var link = new Uri(TrackedLinks().Match(sent).Value).PathAndQuery;
        Assert.InRange(link.Length, 1, 100);
        var redirect = await _app.Client().GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(target, redirect.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TrackedLinks_TokensOfMailSentBeforeLinkIndexes_StillRedirectToAsciiForm()
    {
        var (_, id, _) = await SendAsync("<p>no links</p>");
        var secret = ApiKeyHasher.LoadSecret(_app.Services.GetRequiredService<IOptions<PenguinMailsOptions>>().Value);
        var payload = Encoding.UTF8.GetBytes($"b{PenguinMails.Emails.EmailIds.Parse(id)!.Value:N}https://bücher.example/straße");
        var mac = HMACSHA256.HashData(HMACSHA256.HashData(secret, "penguinmails/tracking/v1"u8), payload)[..16];
        var redirect = await _app.Client().GetAsync($"/t/c/{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(mac)}");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("https://xn--bcher-kva.example/stra%C3%9Fe", redirect.Headers.Location!.OriginalString);
    }

    private async Task<(HttpClient Client, string Id, string Html)> SendAsync(string html)
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = $"links-{Guid.NewGuid():N}@example.com";
        var id = await client.SendAsync(new { from = "s@example.com", to, subject = "Links", html_body = html });
        await _app.WaitForStatusAsync(client, id, "sent");
        return (client, id, Assert.Single(_smtp.MessagesTo(to)).HtmlBody!);
    }

    [GeneratedRegex(@"http://localhost:5080/t/c/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+")]
    private static partial Regex TrackedLinks();
}

public sealed class TrackedLinkSqliteTests(SqliteFactory app, SmtpServer smtp)
    : TrackedLinkTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class TrackedLinkPostgresTests(PostgresFactory app, SmtpServer smtp)
    : TrackedLinkTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;
