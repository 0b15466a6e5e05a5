using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Tenancy;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The developer overview's cards and the plans page over HTTP: the rate-limit card reads the limiter's own state
/// (calls made with a key show at once, time pays them back), the upgrade prompt from 80 % on, every plan listed with the
/// tenant's own marked, and an empty tenant's overview.
/// </summary>
public abstract class PortalOverviewTests(PenguinMailsFactory app)
{
    private const string Overview = "/dashboard/settings/developers";
    private const string Card = "/dashboard/settings/developers/rate-limit";
    private const string Plans = "/dashboard/settings/plans";

    private async Task<(PortalClient Browser, Guid Tenant)> SignedInAsync()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        return (browser, tenant);
    }

    /// <summary>Makes <paramref name="calls"/> allowed API calls with a new key of <paramref name="tenant"/>, the clock still.</summary>
    private async Task CallAsync(Guid tenant, int calls)
    {
        var (key, _) = await app.CreateKeyAsync(tenant, ["contacts:read"]);
        using var client = app.Client(key);
        for (var i = 0; i < calls; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        }
    }

    [Fact]
    public async Task RateLimitCard_After48Calls_ShowsPlanRateUsedAndPercent_AndTheUpgradePrompt()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;

        await CallAsync(tenant, 48);
        var card = await browser.GetAsync(Card);

        Assert.Equal(HttpStatusCode.OK, card.Status);
        Assert.Contains("Starter Plan", card.Html);
        Assert.Contains("60 requests/minute", card.Html);
        Assert.Contains(">48 / 60 (80%)<", card.Html);
        Assert.Contains("aria-valuenow=\"48\"", card.Html);
        Assert.Contains("aria-valuemax=\"60\"", card.Html);
        Assert.Contains("100 requests", card.Html); // burst capacity
        Assert.Contains("(52 available now)", card.Html);
        Assert.Contains("Resets in 48 seconds", card.Html); // one second per request at 60/min
        Assert.Contains("Approaching rate limit.", card.Html);
        Assert.Contains($"href=\"{Plans}\">Upgrade plan", card.Html);
        Assert.Contains("hx-trigger=\"every 5s\"", card.Html);
        Assert.DoesNotContain("<html", card.Html); // a fragment, swapped into the overview
    }

    [Fact]
    public async Task RateLimitCard_Below80Percent_HasNoUpgradePrompt_AndTheOverviewShowsTheSameFigures()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;

        await CallAsync(tenant, 47);
        var card = await browser.GetAsync(Card);
        var overview = await browser.GetAsync(Overview);

        Assert.Contains(">47 / 60 (78%)<", card.Html);
        Assert.DoesNotContain("Approaching rate limit", card.Html);
        Assert.DoesNotContain("Upgrade plan", card.Html);
        Assert.Contains(">47 / 60 (78%)<", overview.Html);
        Assert.DoesNotContain("Approaching rate limit", overview.Html);
    }

    [Fact]
    public async Task RateLimitCard_AsTimePasses_ThePlansRatePaysRequestsBack()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;

        await CallAsync(tenant, 30);
        app.Advance(TimeSpan.FromSeconds(10));
        var later = await browser.GetAsync(Card);
        app.Advance(TimeSpan.FromSeconds(20));
        var idle = await browser.GetAsync(Card);

        Assert.Contains(">20 / 60 (33%)<", later.Html);
        Assert.Contains("Resets in 20 seconds", later.Html);
        Assert.Contains(">0 / 60 (0%)<", idle.Html);
        Assert.Contains("the whole allowance is available", idle.Html);
    }

    [Fact]
    public async Task Plans_ListEveryPlan_MarkTheTenantsOwn_AndFollowAPlanChange()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;

        var before = await browser.GetAsync(Plans);
        await SetPlanAsync(tenant, Plan.Professional); // what `penguinmails tenants set-plan` does
        var after = await browser.GetAsync(Plans);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Contains("60 requests/minute", Row(before.Html, "starter"));
        Assert.Contains("100 requests", Row(before.Html, "starter"));
        Assert.Contains("300 requests/minute", Row(before.Html, "professional"));
        Assert.Contains("500 requests", Row(before.Html, "professional"));
        Assert.Contains("1,000 requests/minute", Row(before.Html, "business"));
        Assert.Contains("2,000 requests", Row(before.Html, "business"));
        Assert.Contains("Your plan", Row(before.Html, "starter"));
        Assert.DoesNotContain("Your plan", Row(before.Html, "professional"));
        Assert.Contains("penguinmails tenants set-plan --tenant", before.Html);
        Assert.Contains("Your plan", Row(after.Html, "professional"));
        Assert.DoesNotContain("Your plan", Row(after.Html, "starter"));
        Assert.Contains("on the <strong>Professional Plan</strong>", after.Html);
        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Advance(TimeSpan.FromSeconds(2)); // PenguinMails:RateLimits:PlanRefreshSeconds: the limiter follows
            var card = await browser.GetAsync(Card);
            return card.Html.Contains("Professional Plan") && card.Html.Contains("300 requests/minute");
        }, "the rate-limit card shows the new plan");
    }

    [Fact]
    public async Task Overview_OfAnEmptyTenant_Answers200_WithEveryCard()
    {
        var (browser, _) = await SignedInAsync();
        using var _b = browser;

        var overview = await browser.GetAsync(Overview);

        Assert.Equal(HttpStatusCode.OK, overview.Status);
        string[] cards =
        [
            "Start Building with PenguinMails API", "Quick Links", "View API Documentation", "Explore Code Examples",
            "Configure Webhooks", "Active API Keys", "has no active API keys yet", "Rate Limit Status", ">0 / 60 (0%)<",
            "API Documentation Quick Access", "POST /api/v1/emails/send", "POST /api/v1/contacts",
            "GET /api/v1/analytics/campaigns/{id}", "<code>emails:send</code>", "SDK Installation", ">Node.js<", ">Python<",
            ">PHP<", ">C#<", "/js/rate-limit.js", "/js/time.js",
        ];
        foreach (var text in cards)
        {
            Assert.True(overview.Html.Contains(text, StringComparison.Ordinal), $"the overview lacks {text}");
        }

        Assert.DoesNotContain("Approaching rate limit", overview.Html);
    }

    [Fact]
    public async Task Dates_CarryTheirUtcInstant_AndSayUtcWithoutScript()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var at = app.Clock.GetUtcNow().UtcDateTime;
        await app.CreateKeyAsync(tenant, ["contacts:read"], name: "Dated");

        var overview = await browser.GetAsync(Overview);
        var keys = await browser.GetAsync("/dashboard/settings/developers/keys");

        var inv = CultureInfo.InvariantCulture;
        var instant = $"<time datetime=\"{at.ToString("yyyy-MM-ddTHH:mm:ss", inv)}Z\" title=\"{at.ToString("yyyy-MM-dd HH:mm", inv)} UTC\"";
        Assert.Contains($"{instant} data-time=\"date\">{at.ToString("MMM d, yyyy", inv)} UTC</time>", overview.Html);
        Assert.Contains($"{instant} data-time=\"datetime\">{at.ToString("MMMM d, yyyy 'at' h:mm tt", inv)} UTC</time>", keys.Html);
    }

    [Fact]
    public async Task RateLimitCard_AfterTheSessionEnded_SendsTheWholePageToSignIn()
    {
        using var browser = PortalClient.For(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, Card);
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("HX-Current-URL", "http://localhost/dashboard/settings/developers");

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("/account/sign-in?returnUrl=%2Fdashboard%2Fsettings%2Fdevelopers", Assert.Single(response.Headers.GetValues("HX-Redirect")));
    }

    [Fact]
    public async Task RateLimitCard_Polls_NeverProlongAnIdleSession_WhilePagesDo()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        using var idle = PortalClient.For(app);
        using var working = PortalClient.For(app);
        await idle.SignInAsync(email, password);
        await working.SignInAsync(email, password);

        app.Clock.Advance(TimeSpan.FromHours(5)); // past half the 8-hour session (sliding) and the 30-minute stamp check
        using var poll = await idle.Http.GetAsync(Card);
        using var page = await working.Http.GetAsync(Overview);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        Assert.False(poll.Headers.TryGetValues("Set-Cookie", out var renewed) && renewed.Any(c => c.StartsWith("pm_portal=")));
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("pm_portal="));

        app.Clock.Advance(TimeSpan.FromHours(3.5));
        Assert.Equal(HttpStatusCode.Redirect, (await idle.GetAsync(Overview)).Status);
        Assert.Equal(HttpStatusCode.OK, (await working.GetAsync(Overview)).Status);
        _ = tenant;
    }

    private Task<int> SetPlanAsync(Guid tenant, Plan plan) => app.InTenantAsync(tenant, sp =>
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return sp.GetRequiredService<AppDb>().Tenants.Where(t => t.Id == tenant)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Plan, plan).SetProperty(t => t.UpdatedAt, now));
    });

    private static string Row(string html, string plan)
    {
        var match = Regex.Match(html, $"<article[^>]*data-plan=\"{plan}\"[^>]*>(.*?)</article>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no row for {plan}");
        return match.Groups[1].Value;
    }
}

public sealed class PortalOverviewSqliteTests(SqliteFactory app) : PortalOverviewTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalOverviewPostgresTests(PostgresFactory app) : PortalOverviewTests(app), IClassFixture<PostgresFactory>;
