using System.Net;
using Microsoft.EntityFrameworkCore;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiUsage;
using PenguinMails.Data;
using PenguinMails.Portal.Pages.Developers;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The usage page over HTTP (issue 11 "The portal page"): an empty tenant, every range's figures equal to the usage
/// service's own, the key filter, another tenant's key, range errors at their field, the error log's CSV download,
/// and the request log a chart's point opens.
/// </summary>
public abstract partial class PortalUsageTests(PenguinMailsFactory app)
{
    private const string Usage = "/dashboard/settings/developers/usage";
    private const string EndpointRow = "<td data-label=\"Endpoint\"><code>[^<]*</code></td>\\s*<td data-label=\"Requests\"";

    private async Task<(PortalClient Browser, Guid Tenant)> SignedInAsync()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app, Users.UserRole.Developer);
        var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        return (browser, tenant);
    }

    /// <summary>Two keys of <paramref name="tenant"/> and <paramref name="count"/> requests over the last 8 days.</summary>
    private async Task<List<(Guid Id, string KeyId, string Name)>> SeedAsync(Guid tenant, int count, string prefix = "App")
    {
        var keys = new List<(Guid Id, string KeyId, string Name)>();
        foreach (var name in new[] { $"{prefix} Production", $"{prefix} Staging" })
        {
            var (_, id) = await app.CreateKeyAsync(tenant, ["contacts:read"], name: name);
            var keyId = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiKeys.Where(k => k.Id == id).Select(k => k.KeyId).SingleAsync());
            keys.Add((id, keyId, name));
        }

        var rows = UsageSeed.Requests(tenant, keys.Select(k => (k.Id, "live")).ToList(), app.Clock.GetUtcNow().UtcDateTime, count, TimeSpan.FromDays(8));
        await app.InTenantAsync(tenant, async sp =>
        {
            await UsageSeed.WriteAsync(sp.GetRequiredService<AppDb>(), rows, 60, 100);
            return 0;
        });
        return keys;
    }

    private Task<ApiUsageView> ServiceAsync(Guid tenant, UsageWindow window, Guid? key = null) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<ApiUsageService>()
            .ComputeAsync(window, new UsageFilter(key, null, null, null, null), default));

    private static string Metric(string html, string name)
    {
        var match = Regex.Match(html, $"data-metric=\"{name}\">([^<]*)<");
        Assert.True(match.Success, $"no metric {name}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [Fact]
    public async Task EmptyTenant_Answers200_WithZeroes_AndNoData()
    {
        var (browser, _) = await SignedInAsync();
        using var _b = browser;

        var page = await browser.GetAsync(Usage);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("0", Metric(page.Html, "total"));
        Assert.Contains("No API requests in this range.", page.Html);
        Assert.Contains("No errors in this range.", page.Html);
        Assert.Contains("Rate limit not exceeded in the last 24 hours", page.Html);
        Assert.Contains("Peak usage: 0 / 60 requests/minute", Regex.Replace(page.Html, "\\s+", " "));
        Assert.Contains("src=\"/lib/chart.js/chart.umd.min.js\"", page.Html);
        Assert.Contains("<script type=\"application/json\" id=\"volume-data\">", page.Html);
        Assert.Contains("aria-current=\"page\" href=\"/dashboard/settings/developers/usage\">Usage</a>", page.Html); // no longer "coming"
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("24h")]
    [InlineData("7d")]
    [InlineData("30d")]
    public async Task EachRange_ShowsTheServicesFigures(string range)
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var keys = await SeedAsync(tenant, 3000);

        var page = await browser.GetAsync($"{Usage}?range={range}");
        var view = await ServiceAsync(tenant, UsageWindow.Relative(range, app.Clock.GetUtcNow().UtcDateTime));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(view.TotalRequests > 0);
        Assert.Equal(UsageCharts.Count(view.TotalRequests), Metric(page.Html, "total"));
        Assert.Equal(UsageCharts.Rate(view.SuccessRate), Metric(page.Html, "success"));
        Assert.Equal(UsageCharts.Ms(view.AvgResponseMs), Metric(page.Html, "avg"));
        Assert.Equal($"p95 {UsageCharts.Ms(view.P95ResponseMs)}", Metric(page.Html, "p95"));
        Assert.Equal($"{UsageCharts.Percent(Math.Round(view.RateLimit.PercentOfLimit * 100, 1))} of limit", Metric(page.Html, "rate"));
        Assert.Contains($"Peak usage: {view.RateLimit.PeakUsed} / 60 requests/minute", Regex.Replace(page.Html, "\\s+", " "));
        Assert.Contains(view.RateLimit.ExceededCount switch
        {
            0 => "Rate limit not exceeded",
            1 => "Rate limit exceeded 1 time",
            var n => $"Rate limit exceeded {UsageCharts.Count(n)} times",
        }, page.Html);
        var all = await browser.GetAsync($"{Usage}?range={range}&endpoints=all");
        Assert.Equal(Math.Min(UsageModel.TopEndpoints, view.Endpoints.Count), Regex.Count(page.Html, EndpointRow));
        Assert.Equal(view.Endpoints.Count, Regex.Count(all.Html, EndpointRow));
        foreach (var endpoint in view.Endpoints)
        {
            Assert.Contains($"<td data-label=\"Endpoint\"><code>{endpoint.Endpoint}</code></td>\n                            <td data-label=\"Requests\" class=\"text-sm-end\">{UsageCharts.Count(endpoint.Requests)}</td>", all.Html);
        }

        foreach (var key in view.Keys)
        {
            Assert.Contains($"{key.Name} <code class=\"small d-block\">{key.KeyId}</code>", page.Html);
        }

        Assert.Equal(view.Series.Count, Regex.Count(page.Html, "<tr data-step=\"volume\">"));
        Assert.Equal(2, keys.Count);
    }

    [Fact]
    public async Task KeyFilter_ShowsThatKeysFigures_FromTheKeyCardsLink()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var keys = await SeedAsync(tenant, 2000);

        var page = await browser.GetAsync($"{Usage}?range=7d&key_id={keys[1].Id}"); // the key card's "View Usage" link
        var view = await ServiceAsync(tenant, UsageWindow.Relative("7d", app.Clock.GetUtcNow().UtcDateTime), keys[1].Id);
        var all = await ServiceAsync(tenant, UsageWindow.Relative("7d", app.Clock.GetUtcNow().UtcDateTime));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(view.TotalRequests < all.TotalRequests);
        Assert.Equal(UsageCharts.Count(view.TotalRequests), Metric(page.Html, "total"));
        Assert.Contains($"<option value=\"{keys[1].KeyId}\" selected=\"selected\">", page.Html);
        Assert.Contains($"Key {keys[1].Name}, by hour, from", page.Html);
        Assert.DoesNotContain($"{keys[0].Name} <code", page.Html);
    }

    [Fact]
    public async Task AnotherTenantsKeyId_ShowsAnErrorAtTheField_AndNothingOfTheirs()
    {
        var (browser, _) = await SignedInAsync();
        using var _b = browser;
        var other = await app.CreateTenantAsync();
        var theirs = await SeedAsync(other, 300, "Theirs");

        foreach (var id in new[] { theirs[0].Id.ToString(), theirs[0].KeyId })
        {
            var page = await browser.GetAsync($"{Usage}?key_id={id}");
            var export = await browser.Http.GetAsync($"{Usage}?handler=export&key_id={id}");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains("No API key of this tenant has that id", page.Html);
            Assert.Contains("id=\"key_id-error\">No API key", page.Html);
            Assert.DoesNotContain("data-metric", page.Html);
            Assert.DoesNotContain("Theirs", page.Html);
            Assert.Equal("text/html", export.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("req_seed", await export.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("range=2d", "range", "Choose Last Hour")]
    [InlineData("range=custom&to=2026-11-20T09:00", "from", "Enter the start of the range.")]
    [InlineData("range=custom&from=2026-13-01T00:00&to=2026-11-20T00:00", "from", "Enter a date and time")]
    [InlineData("range=custom&from=2026-11-20T10:00&to=2026-11-20T09:00", "to", "to must be after from.")]
    [InlineData("range=custom&from=1990-01-01T00:00&to=2026-11-20T09:00", "from", "between the years 2000 and 9000")]
    [InlineData("range=custom&from=2024-01-01T00:00&to=2026-11-20T09:00", "to", "at most 400 days apart")]
    [InlineData("range=custom&from=2026-03-08T02:30&to=2026-03-09T09:00&tz=America/New_York", "from", "does not exist in America/New_York")]
    public async Task InvalidRange_ShowsTheErrorAtItsField_Never500(string query, string field, string message)
    {
        var (browser, _) = await SignedInAsync();
        using var _b = browser;

        var page = await browser.GetAsync($"{Usage}?{query}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("There is a problem", page.Html);
        Assert.Contains($"href=\"#{field}\">", page.Html);
        Assert.Contains(message, WebUtility.HtmlDecode(page.Html));
        Assert.DoesNotContain("data-metric", page.Html);
    }

    [Fact]
    public async Task CustomRange_InTheBrowsersZone_IsTheUtcWindowOfThoseLocalTimes()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        await SeedAsync(tenant, 1000);

        // 2026-11-20 09:00 to 2026-11-22 09:00 in New York (UTC-5 in November) is 14:00 to 14:00 UTC.
        var page = await browser.GetAsync($"{Usage}?range=custom&from=2026-11-20T09:00&to=2026-11-22T09:00&tz=America/New_York");
        var view = await ServiceAsync(tenant, UsageWindow.Custom(new DateTime(2026, 11, 20, 14, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 22, 14, 0, 0, DateTimeKind.Utc)));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("datetime=\"2026-11-20T14:00:00Z\"", page.Html);
        Assert.Contains("value=\"2026-11-20T09:00\"", page.Html);
        Assert.Equal(UsageCharts.Count(view.TotalRequests), Metric(page.Html, "total"));
    }

    [Fact]
    public async Task ExportErrorLog_DownloadsTheRangesErrorsAsCsv()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        await SeedAsync(tenant, 1500);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var window = UsageWindow.Relative("7d", now);
        var expected = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiRequests
            .CountAsync(r => r.Authenticated && r.Status >= 400 && r.OccurredAt >= window.From && r.OccurredAt < window.To));

        var page = await browser.GetAsync($"{Usage}?range=7d");
        using var export = await browser.Http.GetAsync($"{Usage}?range=7d&handler=export");
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains($"href=\"{Usage}?range=7d&amp;handler=export\">Export Error Log</a>", page.Html);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment; filename=\"api-errors.csv\"", export.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("time,endpoint,status,code,message,key_id,environment,duration_ms,client_ip,request_id", lines[0].TrimEnd('\r'));
        Assert.True(expected > 50);
        Assert.Equal(expected, lines.Length - 1);
    }

    [Fact]
    public async Task RequestLog_ListsTheWindowsRequests_NewestFirst_CursorPaged()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var keys = await SeedAsync(tenant, 500);
        var burst = UsageSeed.Minute(app.Clock.GetUtcNow().UtcDateTime.AddHours(-1));

        var first = await browser.GetAsync(RequestLogModel.UrlFor(burst, burst.AddMinutes(1), null, null));
        var next = Regex.Match(first.Html, "href=\"([^\"]+cursor=[^\"]+)\">Next 50 requests").Groups[1].Value;
        var second = await browser.GetAsync(WebUtility.HtmlDecode(next));
        var refused = await browser.GetAsync(RequestLogModel.UrlFor(burst, burst.AddMinutes(1), null, "429"));
        var mine = await browser.GetAsync(RequestLogModel.UrlFor(burst, burst.AddMinutes(1), keys[0].KeyId, null));
        var statuses = Regex.Matches(refused.Html, "data-label=\"Status\">(\\d+)").Select(m => m.Groups[1].Value).ToList();
        var broken = await browser.GetAsync($"{RequestLogModel.Path}?from=yesterday&status=9xx");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(50, Regex.Count(first.Html, "req_seed"));
        Assert.NotEqual("", next);
        Assert.Equal(UsageSeed.BurstSize - 50, Regex.Count(second.Html, "req_seed"));
        Assert.Contains("The end of the window", second.Html);
        Assert.InRange(statuses.Count, 5, UsageSeed.BurstSize); // the burst's last five were refused, and any random 429 of it
        Assert.All(statuses, s => Assert.Equal("429", s));
        Assert.All(Regex.Matches(mine.Html, "data-label=\"Key\"><code>([^<]+)<").Select(m => m.Groups[1].Value), k => Assert.Equal(keys[0].KeyId, k));
        Assert.Equal(HttpStatusCode.OK, broken.Status);
        Assert.Contains("This link does not name a window of requests", broken.Html);
    }
}

public sealed class PortalUsageSqliteTests(SqliteFactory app) : PortalUsageTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalUsagePostgresTests(PostgresFactory app) : PortalUsageTests(app), IClassFixture<PostgresFactory>;
