using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PenguinMails.Users;
using PenguinMails.Webhooks;

namespace PenguinMails.Tests.Portal;

/// <summary>The delivery log of an endpoint's page: filters, paging, wrong filters shown on the page, replays.</summary>
public abstract partial class PortalWebhookPagesTests
{
    private static int Rows(string html) => Regex.Count(html, "data-label=\"Event\"");

    private static string Local(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>30 deliveries a minute apart, the newest a minute ago: 20 failed email.sent, then 10 succeeded contact.created.</summary>
    private Task<List<WebhookDelivery>> SeedDeliveriesAsync(Guid tenant, Guid endpoint, DateTime now) => InDbAsync(tenant, async db =>
    {
        var rows = Enumerable.Range(0, 30).Select(i => new WebhookDelivery
        {
            TenantId = tenant, EndpointId = endpoint, EventId = Guid.CreateVersion7(), EventType = i < 20 ? "email.sent" : "contact.created",
            Status = i < 20 ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Succeeded, Attempts = i < 20 ? 8 : 1,
            CreatedAt = now.AddMinutes(i - 30), NextAttemptAt = now.AddMinutes(i - 30), LastAttemptAt = now.AddMinutes(i - 30),
            StatusCode = i < 20 ? 500 : 200, LatencyMs = 12, ResponseExcerpt = i < 20 ? "upstream exploded" : "ok",
            CompletedAt = now.AddMinutes(i - 30),
        }).ToList();
        db.AddRange(rows);
        await db.SaveChangesAsync();
        return rows;
    });

    [Fact]
    public async Task DeliveryLog_FiltersByStatusTypeAndTime_PagesByCursor_AndShowsWrongFiltersOnThePage()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;
        var id = await CreateAsync(browser, tenant);
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        await SeedDeliveriesAsync(tenant, id, now);
        var detail = $"{Endpoints}/{id}";

        var first = await browser.GetAsync(detail);
        var older = Regex.Match(first.Html, "href=\"([^\"]+)\">Older deliveries").Groups[1].Value;
        var second = await browser.GetAsync(WebUtility.HtmlDecode(older));
        var failed = await browser.GetAsync(detail + "?status=failed");
        var contacts = await browser.GetAsync(detail + "?event_type=contact.created&status=");
        var window = await browser.GetAsync($"{detail}?from={Local(now.AddMinutes(-15))}&to={Local(now.AddMinutes(-5))}");
        var badTime = await browser.GetAsync(detail + "?from=yesterday");
        var badStatus = await browser.GetAsync(detail + "?status=bogus&event_type=email.nope");
        var badCursor = await browser.GetAsync(detail + "?cursor=%%%");
        var forgedCursor = await browser.GetAsync(detail + "?cursor=" + System.Buffers.Text.Base64Url.EncodeToString(
            System.Text.Encoding.UTF8.GetBytes($$"""{"Value":"-1","Id":"{{Guid.NewGuid()}}"}"""))); // ticks no time has: once a 500
        var backwards = await browser.GetAsync($"{detail}?from={Local(now)}&to={Local(now.AddHours(-1))}");

        Assert.Equal(25, Rows(first.Html));
        Assert.Contains("upstream exploded", first.Html);
        Assert.Contains("HTTP 500", first.Html);
        Assert.Equal(5, Rows(second.Html));
        Assert.Contains("The end of the log", second.Html);
        Assert.Contains("Newest deliveries", second.Html);
        Assert.Equal(20, Rows(failed.Html));
        Assert.DoesNotContain(">Succeeded</span>", failed.Html);
        Assert.Equal(10, Rows(contacts.Html));
        Assert.DoesNotContain("<code>email.sent</code>", contacts.Html);
        Assert.Equal(10, Rows(window.Html));
        foreach (var bad in new[] { badTime, badStatus, badCursor, forgedCursor, backwards })
        {
            Assert.Equal(HttpStatusCode.OK, bad.Status);
            Assert.Contains("This filter cannot be used", bad.Html);
            Assert.Equal(0, Rows(bad.Html));
        }

        Assert.Contains("From must be a date and time", badTime.Html);
        Assert.Contains("status must be one of pending, succeeded, failed", badStatus.Html);
        Assert.Contains("event_type must be one of", badStatus.Html);
        Assert.Contains("to must be after from.", backwards.Html);
    }

    [Fact]
    public async Task Replay_OneDelivery_ThenEveryFailedOneInARange_SameEventIds()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var id = await CreateAsync(browser, tenant);
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        var seeded = await SeedDeliveriesAsync(tenant, id, now);
        var detail = $"{Endpoints}/{id}";
        List<KeyValuePair<string, string>> Range(DateTime? from, DateTime to) =>
            [new("replayFrom", from is null ? "" : Local(from.Value)), new("replayTo", Local(to))];

        var one = await browser.PostFormAsync(detail, [new("delivery", seeded[3].Id.ToString())], detail + "?handler=replay");
        var oneNotice = await browser.GetAsync(detail);
        var missingEnd = await browser.PostFormAsync(detail, Range(null, now), detail + "?handler=replayfailed");
        var missingNotice = await browser.GetAsync(detail);
        var empty = await browser.PostFormAsync(detail, Range(now.AddDays(-3), now.AddDays(-2)), detail + "?handler=replayfailed");
        var emptyNotice = await browser.GetAsync(detail);
        var all = await browser.PostFormAsync(detail, Range(now.AddHours(-1), now.AddMinutes(1)), detail + "?handler=replayfailed");
        var allNotice = await browser.GetAsync(detail);
        var unknown = await browser.PostFormAsync(detail, [new("delivery", Guid.NewGuid().ToString())], detail + "?handler=replay");

        Assert.Equal(HttpStatusCode.Redirect, one.StatusCode);
        Assert.Contains("The email.sent event was queued again, with the same webhook-id.", oneNotice.Html);
        Assert.Contains("Enter both ends of the time range (UTC)", missingNotice.Html);
        Assert.Contains("No failed delivery was created in that time range", emptyNotice.Html);
        Assert.Contains("20 failed deliveries were queued again.", allNotice.Html);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, empty.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, missingEnd.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, all.StatusCode);
        var pending = await InDbAsync(tenant, db => db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending).ToListAsync());
        Assert.Equal(20, pending.Count); // seeded[3]'s event was already queued again: the range replay made it due, not a second copy
        Assert.Single(pending, d => d.EventId == seeded[3].EventId);
        Assert.Equal(seeded.Take(20).Select(d => d.EventId).Order(), pending.Select(d => d.EventId).Distinct().Order());
    }
}
