using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Campaigns;

/// <summary>
/// Campaign analytics against a known set of events written for the campaign's messages (delivery off, so the
/// only events are these): every count, rate, hourly bucket and top link is compared exactly.
/// </summary>
public abstract class CampaignAnalyticsTests
{
    private readonly PenguinMailsFactory _app;

    protected CampaignAnalyticsTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.Settings["PenguinMails:Delivery:Enabled"] = "false";
    }

    [Fact]
    public async Task Figures_EqualThoseOfTheKnownEvents()
    {
        var (tenant, client) = await _app.CampaignClientAsync();
        await _app.AddContactsAsync(tenant, Enumerable.Range(0, 10).Select(i => new CampaignKit.Person($"a{i}@example.com") { Tags = ["an"] }));
        var id = (await client.CreateCampaignAsync(CampaignKit.Inline(tags: ["an"])))["id"]!.GetValue<string>();
        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        await _app.WaitForCampaignAsync(client, id, CampaignKit.FanOutDone, "the fan-out is complete");
        var m = (await _app.CampaignMessagesAsync(tenant, id)).OrderBy(x => x.Id).Select(x => x.Id).ToList();
        var h10 = PenguinMailsFactory.Start.UtcDateTime;
        var h11 = h10.AddHours(1);
        var events = new List<(int Message, EmailEventType Type, DateTime At, string? Url)>();
        events.AddRange(Enumerable.Range(0, 7).Select(i => (i, EmailEventType.Sent, h10.AddMinutes(i), (string?)null)));
        events.Add((7, EmailEventType.Bounced, h11.AddMinutes(1), null));
        events.AddRange([
            (0, EmailEventType.Opened, h10.AddMinutes(30), null), (0, EmailEventType.Opened, h11.AddMinutes(5), null),
            (0, EmailEventType.Opened, h11.AddMinutes(6), null), (1, EmailEventType.Opened, h11.AddMinutes(7), null),
            (2, EmailEventType.Opened, h10.AddMinutes(40), null), (2, EmailEventType.Opened, h11.AddMinutes(8), null),
            (0, EmailEventType.Clicked, h10.AddMinutes(31), "https://a.example/"), (0, EmailEventType.Clicked, h11.AddMinutes(9), "https://a.example/"),
            (1, EmailEventType.Clicked, h11.AddMinutes(10), "https://a.example/"), (1, EmailEventType.Clicked, h11.AddMinutes(11), "https://b.example/"),
            (3, EmailEventType.Clicked, h11.AddMinutes(12), "https://b.example/"), (3, EmailEventType.Clicked, h11.AddMinutes(13), "https://c.example/"),
            (4, EmailEventType.Complained, h11.AddMinutes(20), null),
            (5, EmailEventType.Unsubscribed, h11.AddMinutes(21), null), (6, EmailEventType.Unsubscribed, h10.AddMinutes(50), null),
        ]);
        await _app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            db.EmailEvents.AddRange(events.Select(e => new EmailEvent { MessageId = m[e.Message], Type = e.Type, At = e.At, Detail = e.Url }));
            return await db.SaveChangesAsync();
        });

        var a = await (await client.GetAsync($"/api/v1/analytics/campaigns/{id}")).DataAsync();

        Assert.Equal(id, a["campaign_id"]!.GetValue<string>());
        Assert.Equal((10, 8, 7, 1, 0), (Int(a, "recipients"), Int(a, "sent"), Int(a, "delivered"), Int(a, "bounced"), Int(a, "failed")));
        Assert.Equal((3, 6), (Int(a["opened"]!, "unique"), Int(a["opened"]!, "total")));
        Assert.Equal((3, 6), (Int(a["clicked"]!, "unique"), Int(a["clicked"]!, "total")));
        Assert.Equal((1, 2), (Int(a, "complained"), Int(a, "unsubscribed")));
        var rates = a["rates"]!;
        Assert.Equal(0.875m, Dec(rates, "delivery_rate"));
        Assert.Equal(0.125m, Dec(rates, "bounce_rate"));
        Assert.Equal(0.4286m, Dec(rates, "open_rate"));
        Assert.Equal(0.4286m, Dec(rates, "click_rate"));
        Assert.Equal(0.1429m, Dec(rates, "complaint_rate"));
        Assert.Equal(0.2857m, Dec(rates, "unsubscribe_rate"));
        var hourly = a["hourly"]!.AsArray();
        Assert.Equal(2, hourly.Count);
        Assert.Equal(h10, hourly[0]!["hour"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal((7, 0, 2, 1, 0, 1), Hour(hourly[0]!));
        Assert.Equal(h11, hourly[1]!["hour"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal((0, 1, 4, 5, 1, 1), Hour(hourly[1]!));
        var links = a["top_links"]!.AsArray().Select(l => (l!["url"]!.GetValue<string>(), Int(l, "unique_clicks"), Int(l, "total_clicks")));
        Assert.Equal([("https://a.example/", 2, 3), ("https://b.example/", 2, 2), ("https://c.example/", 1, 1)], links);
    }

    [Fact]
    public async Task ANewCampaign_HasZeroFiguresAndZeroRates()
    {
        var (_, client) = await _app.CampaignClientAsync();
        var id = (await client.CreateCampaignAsync(CampaignKit.Inline()))["id"]!.GetValue<string>();

        var a = await (await client.GetAsync($"/api/v1/analytics/campaigns/{id}")).DataAsync();

        Assert.Equal(0, Int(a, "recipients"));
        Assert.Equal(0m, Dec(a["rates"]!, "open_rate"));
        Assert.Empty(a["hourly"]!.AsArray());
        Assert.Empty(a["top_links"]!.AsArray());
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();

    private static decimal Dec(JsonNode node, string name) => node[name]!.GetValue<decimal>();

    private static (int, int, int, int, int, int) Hour(JsonNode h) =>
        (Int(h, "sent"), Int(h, "bounced"), Int(h, "opened"), Int(h, "clicked"), Int(h, "complained"), Int(h, "unsubscribed"));
}

public sealed class CampaignAnalyticsSqliteTests(SqliteFactory f) : CampaignAnalyticsTests(f), IClassFixture<SqliteFactory>;

public sealed class CampaignAnalyticsPostgresTests(PostgresFactory f) : CampaignAnalyticsTests(f), IClassFixture<PostgresFactory>;
