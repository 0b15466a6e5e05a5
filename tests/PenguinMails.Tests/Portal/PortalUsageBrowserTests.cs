using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The usage page in headless Chromium set to New York time: with no data, then with 10,000 requests over 30 days of
/// three keys (written straight into the server's SQLite database by <see cref="UsageSeed"/>, as the request log's
/// writer would): each range button, a custom range, the charts' tables, the key filter, and a click on a point of the
/// volume chart opening the request log of that step.
/// </summary>
public sealed class PortalUsageBrowserTests
{
    private const string Usage = "/dashboard/settings/developers/usage";

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task UsagePage_EmptyThenSeeded_EachRange_Custom_Tables_KeyFilter_ChartPointOpensTheRequestLog(int width)
    {
        await using var walk = await PortalBrowser.StartAsync("usage", width, timeZone: "America/New_York");
        var page = walk.Page;
        await walk.SignInAsAdminAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Usage", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**" + Usage);
        await ChartsDrawnAsync(page);
        await Assertions.Expect(page.GetByText("No API requests in this range.")).ToBeVisibleAsync();
        await walk.VisitAsync("1-empty");

        foreach (var name in new[] { "Production App", "Staging Server", "Nightly Import" })
        {
            Assert.Equal(0, (await walk.CliAsync("keys", "create", "--tenant", "default", "--name", name, "--preset", "full_access")).Exit);
        }

        await SeedAsync(walk.DataDirectory);
        await walk.RestartServerAsync(); // the figures are cached a minute per query (spec): the empty page's would still show
        foreach (var (range, label) in new[] { ("1h", "Last Hour"), ("24h", "Last 24 Hours"), ("7d", "Last 7 Days"), ("30d", "Last 30 Days") })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = label, Exact = true }).ClickAsync();
            await page.WaitForURLAsync(range == "24h" ? "**" + Usage : $"**{Usage}?range={range}");
            await ChartsDrawnAsync(page);
            await Assertions.Expect(page.Locator("[data-metric=total]")).Not.ToHaveTextAsync("0");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = label, Exact = true })).ToHaveAttributeAsync("aria-current", "true");
            await walk.VisitAsync($"2-range-{range}");
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "View All Endpoints" }).ClickAsync();
        await Assertions.Expect(page.Locator("#endpoints tbody tr")).ToHaveCountAsync(UsageSeed.Endpoints.Length);

        await page.GetByRole(AriaRole.Link, new() { Name = "Custom Range" }).ClickAsync();
        await page.GetByLabel("From", new() { Exact = true }).FillAsync(DateTime.UtcNow.AddDays(-3).ToString("yyyy-MM-dd'T'09:00", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("To", new() { Exact = true }).FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'17:30", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Show range" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("tz=America%2FNew_York"));
        await ChartsDrawnAsync(page);
        await Assertions.Expect(page.GetByText("(times in America/New_York)")).ToBeVisibleAsync();
        await walk.VisitAsync("3-custom");

        await page.GetByRole(AriaRole.Link, new() { Name = "Last 7 Days", Exact = true }).ClickAsync();
        await ChartsDrawnAsync(page);
        foreach (var summary in await page.GetByText("Show as table").AllAsync())
        {
            await summary.ClickAsync();
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Request volume table" })).ToBeVisibleAsync();
        await walk.VisitAsync("4-tables");

        await page.GetByLabel("API key", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = (await page.GetByLabel("API key", new() { Exact = true }).Locator("option").Nth(2).TextContentAsync())! });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show usage" }).ClickAsync();
        await page.WaitForURLAsync("**key_id=pm_live_**");
        await ChartsDrawnAsync(page);
        await Assertions.Expect(page.Locator("#keys-title + div tbody tr")).ToHaveCountAsync(1);
        await walk.VisitAsync("5-key-filter");

        // A click on the busiest point of the volume chart opens the request log of that hour.
        var canvas = page.Locator("#volume-chart");
        await canvas.ScrollIntoViewIfNeededAsync();
        var point = await page.EvaluateAsync<float[]>("""
            () => { const c = Chart.getChart(document.getElementById('volume-chart')); const d = c.data.datasets[0].data;
                    const i = d.indexOf(Math.max(...d)); const p = c.getDatasetMeta(0).data[i]; const r = c.canvas.getBoundingClientRect();
                    return [r.left + p.x, r.top + p.y]; }
            """);
        await page.Mouse.ClickAsync(point[0], point[1]);
        await page.WaitForURLAsync("**/usage/requests?**");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Request Log" })).ToBeVisibleAsync();
        Assert.True(await page.Locator("tbody tr").CountAsync() > 0);
        await walk.VisitAsync("6-request-log");

        Assert.Empty(walk.ConsoleErrors);
    }

    private static async Task ChartsDrawnAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => typeof Chart !== 'undefined' && [...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))");

    /// <summary>10,000 requests over the last 30 days of the default tenant's keys, in the server's own database.</summary>
    private static async Task SeedAsync(string dataDirectory)
    {
        var tenant = new TenantContext();
        var options = new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite($"Data Source={Path.Combine(dataDirectory, "penguinmails.db")}").Options;
        await using var db = new SqliteAppDb(options, tenant);
        var tenantId = await db.Tenants.Where(t => t.Slug == "default").Select(t => t.Id).SingleAsync();
        tenant.Enter(tenantId);
        var keys = await db.ApiKeys.OrderBy(k => k.Name).ToListAsync();
        var rows = UsageSeed.Requests(tenantId, keys.Select(k => (k.Id, "live")).ToList(), DateTime.UtcNow, 10_000, TimeSpan.FromDays(30));
        foreach (var key in keys)
        {
            key.LastUsedAt = rows.Where(r => r.ApiKeyId == key.Id).Max(r => r.OccurredAt);
        }

        await db.SaveChangesAsync();
        await UsageSeed.WriteAsync(db, rows, 60, 100);
    }
}
