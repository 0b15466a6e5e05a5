using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tracking;

namespace PenguinMails.Tests.Tracking;

/// <summary>The keyless tracking links under a loop: every hit answered, what is written bounded, the rest counted.</summary>
public abstract partial class TrackingBoundTests
{
    private const int Hits = 300;
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected TrackingBoundTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (_app, _smtp) = (app, smtp);
        foreach (var (name, value) in smtp.Settings())
        {
            app.Settings[name] = value;
        }
    }

    [Fact]
    public async Task TrackingHits_OneAddressInALoopWithVariedUserAgents_CannotInflateCounts_EveryHitAnswered()
    {
        var (client, id, html) = await SendAsync();
        var click = new Uri(Regex.Match(html, @"http://localhost:5080/t/c/[^""]+").Value).PathAndQuery;
        var pixel = new Uri(Regex.Match(html, @"http://localhost:5080/t/o/[^""]+").Value).PathAndQuery;
        using var unrecorded = new UnrecordedCounter(_app);
        var anonymous = _app.Client();
        for (var i = 0; i < Hits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(WithAgent(pixel, i))).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await anonymous.SendAsync(WithAgent(click, i))).StatusCode);
        }

        var tracking = (await client.EmailAsync(id))["tracking"]!;
        Assert.Equal((3, 1), (tracking["opens"]!["total"]!.GetValue<int>(), tracking["opens"]!["unique"]!.GetValue<int>()));
        Assert.Equal((3, 1), (tracking["clicks"]!["total"]!.GetValue<int>(), tracking["clicks"]!["unique"]!.GetValue<int>()));
        Assert.Equal(Hits - 3, unrecorded.Of("opened"));
        Assert.Equal(Hits - 3, unrecorded.Of("clicked"));

        _app.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(WithAgent(pixel, Hits))).StatusCode);
        var later = (await client.EmailAsync(id))["tracking"]!["opens"]!;
        Assert.Equal((4, 1), (later["total"]!.GetValue<int>(), later["unique"]!.GetValue<int>()));
    }

    [Fact]
    public async Task TrackingClicks_OneAddressFollowingEveryLinkInALoop_EachLinkCountedAndBounded()
    {
        const int Links = 6;
        var (client, id, html) = await SendAsync(string.Concat(Enumerable.Range(0, Links).Select(i => $"<a href=\"https://example.org/{i}\">{i}</a>")));
        var clicks = Regex.Matches(html, @"http://localhost:5080/t/c/[^""]+").Select(m => new Uri(m.Value).PathAndQuery).ToList();
        Assert.Equal(Links, clicks.Count);
        var anonymous = _app.Client();
        for (var i = 0; i < 10; i++)
        {
            foreach (var click in clicks)
            {
                Assert.Equal(HttpStatusCode.Redirect, (await anonymous.SendAsync(WithAgent(click, i))).StatusCode);
            }
        }

        var counted = (await client.EmailAsync(id))["tracking"]!["clicks"]!;
        Assert.Equal((3 * Links, Links), (counted["total"]!.GetValue<int>(), counted["unique"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Unsubscribe_RepeatedPosts_OneEventPerRecipient()
    {
        var (client, id, _) = await SendAsync();
        var to = Assert.Single(_smtp.Messages(), m => m.Headers["X-PenguinMails-Id"] == id);
        var link = new Uri(to.Headers["List-Unsubscribe"]!.Trim('<', '>')).PathAndQuery;
        for (var i = 0; i < 5; i++)
        {
            var answer = await _app.Client().PostAsync(link, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        Assert.Single((await client.EmailAsync(id)).EventTypes(), type => type == "unsubscribed");
    }

    private static HttpRequestMessage WithAgent(string path, int i)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.UserAgent.ParseAdd($"Agent{i}/1.{i}");
        return request;
    }

    private async Task<(HttpClient Client, string Id, string Html)> SendAsync(string html = "<a href=\"https://example.org/page\">x</a>")
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = $"loop-{Guid.NewGuid():N}@example.com";
        var id = await client.SendAsync(new
        {
            from = "s@example.com", to, subject = "Loop", html_body = html, track_opens = true, track_clicks = true,
        });
        await _app.WaitForStatusAsync(client, id, "sent");
        return (client, id, Assert.Single(_smtp.MessagesTo(to)).HtmlBody!);
    }

    /// <summary>The <c>penguinmails.tracking.unrecorded</c> counter of this test's server only (its meter factory's scope).</summary>
    private sealed class UnrecordedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _byType = [];

        public UnrecordedCounter(PenguinMailsFactory app)
        {
            var scope = app.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == scope && instrument.Name == "penguinmails.tracking.unrecorded")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var type = tags.ToArray().Single(t => t.Key == "type").Value!.ToString()!;
                lock (_byType)
                {
                    _byType[type] = _byType.GetValueOrDefault(type) + value;
                }
            });
            _listener.Start();
            _ = app.Services.GetRequiredService<TrackingMetrics>();
        }

        public long Of(string type)
        {
            lock (_byType)
            {
                return _byType.GetValueOrDefault(type);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

public sealed class TrackingBoundSqliteTests(SqliteFactory app, SmtpServer smtp)
    : TrackingBoundTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class TrackingBoundPostgresTests(PostgresFactory app, SmtpServer smtp)
    : TrackingBoundTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;
