using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// Key management on /dashboard/settings/developers/keys as a browser without JavaScript does it: the four creation
/// steps, the key shown once, rotate, revoke, sudo mode, antiforgery and tenant isolation — checked through the API.
/// </summary>
public abstract partial class PortalKeysTests(PenguinMailsFactory app)
{
    private const string Keys = "/dashboard/settings/developers/keys";

    private async Task<(PortalClient Browser, Guid Tenant)> SignedInAsync(UserRole role = UserRole.Admin)
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app, role);
        var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        return (browser, tenant);
    }

    /// <summary>Walks the four steps with <paramref name="permissions"/>; returns the last answer.</summary>
    private static async Task<HttpResponseMessage> CreateAsync(PortalClient browser, string name, params string[] permissions)
    {
        var draft = new List<KeyValuePair<string, string>>
        {
            new("Draft.Name", name), new("Draft.Environment", "live"), new("Draft.Expiry", "never"), new("Draft.IpMode", "all"),
        };
        draft.AddRange(permissions.Select(p => new KeyValuePair<string, string>("Draft.Permissions", p)));
        HttpResponseMessage answer = null!;
        for (var step = 1; step <= 4; step++)
        {
            answer = await browser.PostFormAsync($"{Keys}/new", [.. draft, new("Step", $"{step}"), new("go", step == 4 ? "create" : "next")]);
        }

        return answer;
    }

    private static string SecretIn(string html) => Assert.Single(SecretPattern().Matches(html).Select(m => m.Value).Distinct());

    private async Task<HttpResponseMessage> MeAsync(string key)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.GetAsync("/api/v1/me");
    }

    [Fact]
    public async Task Create_ThroughTheFourSteps_ShowsTheKeyOnce_AndItWorksOnTheApi()
    {
        var (browser, _) = await SignedInAsync();
        using var _b = browser;

        var created = await CreateAsync(browser, "Production App", "contacts:read", "emails:send");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal($"{Keys}/created", created.Headers.Location!.OriginalString);
        var shown = await browser.GetAsync($"{Keys}/created");
        var again = await browser.GetAsync($"{Keys}/created");
        var list = await browser.GetAsync(Keys);

        Assert.Contains("API Key Created Successfully", shown.Html);
        Assert.Contains("Copy this key now. You won&#x27;t be able to see it again.", shown.Html);
        var secret = SecretIn(shown.Html);
        Assert.Contains($"-H \"Authorization: Bearer {secret}\"", shown.Html);
        Assert.DoesNotContain(secret, created.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(secret)).StatusCode);
        Assert.Contains("This key is no longer shown", again.Html);
        Assert.DoesNotContain(secret, again.Html);
        Assert.DoesNotContain(secret, list.Html);
        Assert.Contains("Production App", list.Html);
        Assert.Contains(secret[..16], list.Html); // the identifier, with its Copy button
    }

    [Fact]
    public async Task Create_StepErrors_AreShownAtTheFieldAndInTheSummary_AndBackKeepsWhatWasEntered()
    {
        var (browser, _) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;

        var noName = await browser.PostFormAsync($"{Keys}/new", new() { ["Step"] = "1", ["go"] = "next", ["Draft.Name"] = " " });
        var adminByDeveloper = await browser.PostFormAsync($"{Keys}/new", new()
        {
            ["Step"] = "2", ["go"] = "next", ["Draft.Name"] = "Ops", ["Draft.Permissions"] = "admin:full",
        });
        var badIp = await browser.PostFormAsync($"{Keys}/new", new()
        {
            ["Step"] = "4", ["go"] = "next", ["Draft.Name"] = "Ops", ["Draft.IpMode"] = "restrict", ["Draft.Ips"] = "203.0.113.0/24, 010.0.0.1",
        });
        var back = await browser.PostFormAsync($"{Keys}/new", new()
        {
            ["Step"] = "3", ["go"] = "back", ["Draft.Name"] = "Kept name", ["Draft.Permissions"] = "contacts:read",
        });
        var pastDate = await browser.PostFormAsync($"{Keys}/new", new()
        {
            ["Step"] = "3", ["go"] = "next", ["Draft.Name"] = "Ops", ["Draft.Expiry"] = "custom", ["Draft.CustomDate"] = "2020-01-01",
        });

        var noNameHtml = await noName.Content.ReadAsStringAsync();
        Assert.Equal(2, Regex.Count(noNameHtml, "Enter a name for the key."));
        Assert.Contains("href=\"#Draft_Name\"", noNameHtml);
        Assert.Contains("Only admins can grant Full Account Access", await adminByDeveloper.Content.ReadAsStringAsync());
        Assert.Contains("must be written as four decimal numbers", await badIp.Content.ReadAsStringAsync());
        var backHtml = await back.Content.ReadAsStringAsync();
        Assert.Contains("Step 2 of 4", backHtml);
        Assert.Matches("value=\"contacts:read\" checked", backHtml);
        Assert.Contains("value=\"Kept name\"", backHtml);
        Assert.Contains("Enter a date after today and at most 5 years ahead", await pastDate.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rotate_ShowsTheNewKeyOnce_AndTheOldOneWorksUntilTheGraceEnds()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var (oldKey, id) = await app.CreateKeyAsync(tenant, ["contacts:read"], name: "To rotate");

        var confirm = await browser.GetAsync($"{Keys}/{id}/rotate");
        var rotated = await browser.PostFormAsync($"{Keys}/{id}/rotate", []);
        var shown = await browser.GetAsync(rotated.Headers.Location!.OriginalString);
        var newKey = SecretIn(shown.Html);

        Assert.Contains("The old key keeps working for 24 more hours", confirm.Html);
        Assert.Contains("The old key keeps working until", shown.Html);
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(newKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(oldKey)).StatusCode);
        app.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(oldKey)).StatusCode);
    }

    [Fact]
    public async Task Revoke_AfterConfirmation_TheApiAnswersApiKeyRevoked_AndASecondRevokeSaysSo()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;
        var (key, id) = await app.CreateKeyAsync(tenant, ["admin:full"], name: "To revoke");

        var revoked = await browser.PostFormAsync($"{Keys}/{id}/revoke", []);
        var me = await MeAsync(key);
        var again = await browser.GetAsync($"{Keys}/{id}/revoke");

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Contains("\"code\":\"API_KEY_REVOKED\"", await me.Content.ReadAsStringAsync());
        Assert.Contains("This key has already been revoked and cannot be used.", again.Html);
        Assert.DoesNotContain("<form method=\"post\" class", again.Html);
        Assert.Contains(">Revoked</span>", (await browser.GetAsync($"{Keys}?status=revoked")).Html);
    }

    [Theory]
    [InlineData("/new")]
    [InlineData("/{id}/rotate")]
    [InlineData("/{id}/revoke")]
    public async Task KeyActions_AfterTenMinutesWithoutPassword_AskForIt_ThenReturnToTheAction(string action)
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        var (_, id) = await app.CreateKeyAsync(tenant, ["contacts:read"]);
        var path = Keys + action.Replace("{id}", id.ToString());

        app.Advance(TimeSpan.FromMinutes(11));
        var stale = await browser.GetAsync(path);
        var stalePost = await browser.PostFormAsync("/account/password", [], path);
        var wrong = await browser.PostFormAsync(stale.Location!.OriginalString, new() { ["Password"] = "not the password" });
        var confirmed = await browser.PostFormAsync(stale.Location!.OriginalString, new() { ["Password"] = password });
        var fresh = await browser.GetAsync(confirmed.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, stale.Status);
        Assert.StartsWith("/account/confirm-password?returnUrl=", stale.Location.OriginalString);
        Assert.True(stalePost.StatusCode == HttpStatusCode.Redirect && stalePost.Headers.Location!.OriginalString.StartsWith("/account/confirm-password"));
        Assert.Contains("The password is not correct.", await wrong.Content.ReadAsStringAsync());
        Assert.StartsWith(path, confirmed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
    }

    [Fact]
    public async Task Create_WhenSudoRunsOutBeforeTheLastStep_KeepsTheDraftThroughThePasswordPrompt()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        var tokenPage = await browser.GetAsync($"{Keys}/new");
        Assert.Equal(HttpStatusCode.OK, tokenPage.Status);

        app.Advance(TimeSpan.FromMinutes(11));
        var stale = await browser.PostFormAsync("/account/password", new()
        {
            ["Step"] = "4", ["go"] = "create", ["Draft.Name"] = "Late key", ["Draft.Environment"] = "test",
            ["Draft.Permissions"] = "contacts:read", ["Draft.Expiry"] = "never", ["Draft.IpMode"] = "all",
        }, $"{Keys}/new");
        var prompt = stale.Headers.Location!.OriginalString;
        var confirmed = await browser.PostFormAsync(prompt, new() { ["Password"] = password });
        var resumed = await browser.GetAsync(confirmed.Headers.Location!.OriginalString);

        Assert.StartsWith("/account/confirm-password", prompt);
        Assert.Contains("Step 4 of 4", resumed.Html);
        Assert.Contains("value=\"Late key\"", resumed.Html);
        Assert.Equal(0, await app.InTenantAsync(tenant, sp => sp.GetRequiredService<PenguinMails.Data.AppDb>().ApiKeys.CountAsync(k => k.Name == "Late key")));
    }

    [Fact]
    public async Task KeyActions_WithoutAntiforgeryToken_AreRefused_AndChangeNothing()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var (key, id) = await app.CreateKeyAsync(tenant, ["contacts:read"]);

        using var revoke = await browser.Http.PostAsync($"{Keys}/{id}/revoke", new FormUrlEncodedContent([]));
        using var create = await browser.Http.PostAsync($"{Keys}/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Step"] = "4", ["go"] = "create", ["Draft.Name"] = "Forged", ["Draft.Permissions"] = "contacts:read",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(key)).StatusCode);
        Assert.DoesNotContain("Forged", (await browser.GetAsync(Keys)).Html);
    }

    [Fact]
    public async Task KeyActions_OnAnotherTenantsKey_Are404()
    {
        var (browser, _) = await SignedInAsync();
        using var _b = browser;
        var other = await app.CreateTenantAsync();
        var (key, id) = await app.CreateKeyAsync(other, ["contacts:read"]);

        var rotate = await browser.GetAsync($"{Keys}/{id}/rotate");
        var revoke = await browser.PostFormAsync(Keys + "/new", [], $"{Keys}/{id}/revoke");

        Assert.Equal(HttpStatusCode.NotFound, rotate.Status);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(key)).StatusCode);
    }

    [GeneratedRegex("pm_(live|test)_[A-Za-z0-9]{64}")]
    private static partial Regex SecretPattern();
}

public sealed class PortalKeysSqliteTests(SqliteFactory app) : PortalKeysTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalKeysPostgresTests(PostgresFactory app) : PortalKeysTests(app), IClassFixture<PostgresFactory>;
