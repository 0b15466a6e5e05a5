using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The developer overview in headless Chromium set to New York time: the empty tenant's cards, the rate-limit card
/// filling up in place (htmx, no reload) as a key makes API calls until the upgrade prompt shows, its countdown, the SDK
/// tabs with the keyboard, the plans page behind "Upgrade plan →", and dates shown in the browser's time zone.
/// </summary>
public sealed partial class PortalOverviewBrowserTests
{
    private const string NewYork = "America/New_York";

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Overview_RateLimitCardFillsInPlace_UpgradeLeadsToPlans_DatesInTheBrowsersZone(int width)
    {
        await using var walk = await PortalBrowser.StartAsync("overview", width, timeZone: NewYork);
        var page = walk.Page;
        await walk.SignInAsAdminAsync();
        var usage = page.Locator("[data-rate=usage]");
        await Assertions.Expect(usage).ToHaveTextAsync("0 / 60 (0%)");
        await Assertions.Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Current Usage" }))
            .ToHaveAttributeAsync("aria-valuetext", "0 / 60 (0%)");
        await Assertions.Expect(page.GetByText("Approaching rate limit.")).ToHaveCountAsync(0);
        await walk.VisitAsync("1-empty");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Node.js" }).FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Python" })).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Python" })).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.GetByText("/sdks/python/penguinmails-1.0.0-py3-none-any.whl")).ToBeVisibleAsync();

        var created = await walk.CliAsync("keys", "create", "--tenant", "default", "--name", "Load test", "--preset", "read_only");
        Assert.Equal(0, created.Exit);
        var key = Assert.Single(created.OutLines, l => l.StartsWith("pm_live_", StringComparison.Ordinal));
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        using (var api = new HttpClient { BaseAddress = walk.Server.BaseAddress })
        {
            api.DefaultRequestHeaders.Authorization = new("Bearer", key);
            for (var i = 0; i < 60; i++)
            {
                Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
            }
        }

        // The card refreshes itself every 5 s: the figure changes in place and the prompt appears, without a reload.
        await Assertions.Expect(page.GetByText("Approaching rate limit.")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");
        var shown = UsagePattern().Match(await usage.TextContentAsync() ?? "");
        Assert.True(shown.Success && int.Parse(shown.Groups[2].Value, CultureInfo.InvariantCulture) >= 80, $"usage reads {shown.Value}");
        var countdown = page.Locator("[data-countdown]");
        var seconds = int.Parse(await countdown.GetAttributeAsync("data-countdown") ?? "", CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 2, 60);
        await page.WaitForFunctionAsync("n => +document.querySelector('[data-countdown]').dataset.countdown < n", seconds);
        await Assertions.Expect(countdown).ToHaveTextAsync(new Regex("^Resets in \\d+ seconds?$"));
        await walk.VisitAsync("2-approaching");

        // A keyboard user on the card's link keeps their place when the card is replaced.
        var upgrade = page.GetByRole(AriaRole.Link, new() { Name = "Upgrade plan →" });
        await upgrade.FocusAsync();
        await page.EvaluateAsync("() => new Promise(done => document.body.addEventListener('htmx:afterSettle', done, { once: true }))");
        await Assertions.Expect(upgrade).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/dashboard/settings/plans");
        await Assertions.Expect(page.Locator("article[data-plan=starter]")).ToContainTextAsync("Your plan");
        await Assertions.Expect(page.Locator("article[data-plan=business]")).ToContainTextAsync("1,000 requests/minute");
        await Assertions.Expect(page.GetByText("penguinmails tenants set-plan --tenant default --plan professional")).ToBeVisibleAsync();
        await walk.VisitAsync("3-plans");

        await page.GotoAsync("/dashboard/settings/developers/keys");
        var createdAt = page.Locator("article", new() { HasText = "Load test" }).Locator("time[data-time=datetime]").First;
        var instant = DateTimeOffset.Parse(await createdAt.GetAttributeAsync("datetime") ?? "", CultureInfo.InvariantCulture);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(NewYork);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var text = Spaces().Replace(await createdAt.TextContentAsync() ?? "", " ");
        Assert.Contains(local.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture), text);
        Assert.Contains(local.ToString("h:mm tt", CultureInfo.InvariantCulture), text);
        Assert.Contains(zone.IsDaylightSavingTime(instant) ? "EDT" : "EST", text);
        Assert.DoesNotContain("UTC", text);
        var title = await createdAt.GetAttributeAsync("title") ?? "";
        Assert.Contains($"{instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC", title);
        Assert.Contains(NewYork, title);
        await walk.VisitAsync("4-keys-new-york");
        Assert.Empty(walk.ConsoleErrors);
    }

    [GeneratedRegex(@"^(\d+) / 60 \((\d+)%\)$")]
    private static partial Regex UsagePattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
