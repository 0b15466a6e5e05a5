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
    public async Task TrackedLinks_HostsAsBrowsersMapThem_RedirectToUts46AsciiForm_HostsWithoutOneLeftAsTheyAre()
    {
        var untouched = new[] { "https://x\u202Ey.com/bidi", "https://[fe80::1%25eth0]/zone", "https://ex%20ample.com/", "https://a\uFFFDb.com/" };
        var links = new (string Href, string Ascii)[]
        {
            ("https://ＥＸ．ｃｏｍ/fullwidth", "https://ex.com/fullwidth"),
            ("https://ｅｘ.com/a", "https://ex.com/a"),
            ("https://x\u00ADy.com/soft", "https://xy.com/soft"),
            ("https://x\u200By.com/zwsp", "https://xy.com/zwsp"),
            ("https://ﬁ.example/", "https://fi.example/"),
            ("https://Ⅸ.example/", "https://ix.example/"),
            ("https://a\u3002b\uFF0Ec\uFF61Bücher.example/", "https://a.b.c.xn--bcher-kva.example/"),
            ("https://EXAMPLE.com:8443/p\u202Eq", "https://example.com:8443/p%E2%80%AEq"),
            ("https://[::1]:8080/v6", "https://[::1]:8080/v6"),
        };
        var html = string.Concat(links.Select(l => $"<a href=\"{l.Href}\">x</a>")) + string.Concat(untouched.Select(u => $"<a href=\"{u}\">u</a>"));
        var (_, _, sent) = await SendAsync(html);

        foreach (var href in untouched)
        {
            Assert.Contains($"href=\"{href}\"", sent);
        }

        Assert.Equal(links.Select(l => l.Ascii), await RedirectsAsync(sent));
    }

    [Fact]
    public async Task TrackedLinks_EveryHrefFormHtmlAllows_Tracked_NothingInCommentsScriptsOrStyles()
    {
        var hidden = new[]
        {
            "<!-- <a href=\"https://example.com/comment\">c</a> -->",
            "<script>var s = '<a href=\"https://example.com/script\">';</script>",
            "<style>a[href=\"https://example.com/style\"] { color: red }</style>",
            "<!-- </body> -->",
        };
        var html = "<html><body><a href='https://example.com/single'>1</a>" + hidden[0] + "<A HREF = https://example.com/unquoted>2</A>"
            + hidden[1] + "<map name=m><area shape=rect coords=\"0,0,1,1\" href=\"https://example.com/area\"></map>" + hidden[2]
            + "<a title=\"a > b\" Href\n=\n\"https://example.com/spaced\">4</a><a data-href=\"https://example.com/data\" href=\"https://example.com/real\""
            + " href=\"https://example.com/duplicate\">5</a></body>" + hidden[3] + "</html>";
        var (_, _, sent) = await SendAsync(html, trackOpens: true);

        Assert.Equal(["single", "unquoted", "area", "spaced", "real"], (await RedirectsAsync(sent)).Select(u => u["https://example.com/".Length..]));
        Assert.All(hidden, h => Assert.Contains(h, sent));
        Assert.Contains("href=\"https://example.com/duplicate\"", sent);
        Assert.Matches("<img src=\"http://localhost:5080/t/o/[^\"]+\"[^>]*></body><!-- </body> -->", sent);
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

    /// <summary>Where each tracked link of <paramref name="sent"/> redirects, in order.</summary>
    private async Task<List<string>> RedirectsAsync(string sent)
    {
        var targets = new List<string>();
        foreach (Match link in TrackedLinks().Matches(sent))
        {
            var redirect = await _app.Client().GetAsync(new Uri(link.Value).PathAndQuery);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            targets.Add(redirect.Headers.Location!.OriginalString);
        }

        return targets;
    }

    private async Task<(HttpClient Client, string Id, string Html)> SendAsync(string html, bool trackOpens = false)
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = $"links-{Guid.NewGuid():N}@example.com";
        var id = await client.SendAsync(new { from = "s@example.com", to, subject = "Links", html_body = html, track_opens = trackOpens });
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
