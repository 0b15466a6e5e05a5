using System.Net;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// What keeps the pages safe and the tenants apart: antiforgery on every form, the pages' security headers and cookie
/// attributes, tenant isolation through memberships, HTML errors for pages and the JSON envelope (API keys only) for the API.
/// </summary>
public abstract class PortalSecurityTests(PenguinMailsFactory app)
{
    /// <summary>Every form of the foundation, and what it posts; a new form belongs here.</summary>
    public static TheoryData<string> Forms => new() { "/account/sign-in", "/account/sign-out", "/account/choose-tenant", "/account/password", "/account/confirm-password", "/dashboard/settings/developers/keys/new" };

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task EveryForm_PostedWithoutItsAntiforgeryToken_IsRefusedWithAnHtml400(string form)
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);

        using var response = await browser.Http.PostAsync(form, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = password, ["tenantId"] = Guid.NewGuid().ToString(),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("\"success\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/settings/developers")).Status); // still signed in
    }

    [Theory]
    [InlineData("/account/sign-in")]
    [InlineData("/dashboard/settings/developers")]
    [InlineData("/dashboard/settings/developers/keys")]
    [InlineData("/dashboard/settings/developers/no-such-page")]
    public async Task Pages_SendTheSecurityHeaders(string page)
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);

        using var response = await browser.Http.GetAsync(page);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task SessionCookie_IsHttpOnly_SameSiteLax_AndSecureOverHttps()
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(app);
        using var plain = PortalClient.For(app);
        using var tls = PortalClient.For(app, https: true);

        var overHttp = (await plain.SignInAsync(email, password)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pm_portal="));
        var overHttps = (await tls.SignInAsync(email, password)).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pm_portal="));

        Assert.Contains("httponly", overHttp, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", overHttp, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", overHttp.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", overHttps.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TenantSwitch_ToATenantWithoutMembership_Is404_AndPagesShowOnlyTheOwnTenantsKeys()
    {
        var (tenantA, email, password) = await PortalSignInTests.MemberAsync(app);
        var tenantB = await app.CreateTenantAsync();
        await app.CreateKeyAsync(tenantA, ["contacts:read"], name: "Key of tenant A");
        await app.CreateKeyAsync(tenantB, ["contacts:read"], name: "Key of tenant B");
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);

        using var refused = await browser.PostFormAsync("/account/choose-tenant", new() { ["tenantId"] = tenantB.ToString() });
        var overview = await browser.GetAsync("/dashboard/settings/developers");
        var keys = await browser.GetAsync("/dashboard/settings/developers/keys");

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("Key of tenant A", overview.Html);
        Assert.Contains("Key of tenant A", keys.Html);
        Assert.DoesNotContain("Key of tenant B", overview.Html + keys.Html);
    }

    [Fact]
    public async Task OneAccountInTwoTenants_ChoosesAfterSignIn_AndSwitches()
    {
        var (tenantA, email, password) = await PortalSignInTests.MemberAsync(app);
        var (tenantB, _, second) = await PortalSignInTests.MemberAsync(app, UserRole.Developer, email: email.ToUpperInvariant());
        await app.CreateKeyAsync(tenantA, ["contacts:read"], name: "Key of tenant A");
        await app.CreateKeyAsync(tenantB, ["contacts:read"], name: "Key of tenant B");
        using var browser = PortalClient.For(app);

        var signedIn = await browser.SignInAsync(email, password);
        var beforeChoice = await browser.GetAsync("/dashboard/settings/developers");
        await browser.PostFormAsync("/account/choose-tenant", new() { ["tenantId"] = tenantB.ToString() });
        var inB = await browser.GetAsync("/dashboard/settings/developers");
        await browser.PostFormAsync("/dashboard/settings/developers", new() { ["tenantId"] = tenantA.ToString() }, "/account/choose-tenant");
        var inA = await browser.GetAsync("/dashboard/settings/developers");

        Assert.Equal("", second); // the existing account was added, its password unchanged
        Assert.StartsWith("/account/choose-tenant", signedIn.Headers.Location!.OriginalString);
        Assert.StartsWith("/account/choose-tenant", beforeChoice.Location!.OriginalString);
        Assert.Contains("Key of tenant B", inB.Html);
        Assert.DoesNotContain("Key of tenant A", inB.Html);
        Assert.Contains("Key of tenant A", inA.Html);
        Assert.DoesNotContain("Key of tenant B", inA.Html);
    }

    [Fact]
    public async Task JsonApi_IgnoresThePortalCookie_AndAnswersTheEnvelope()
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);

        using var response = await browser.Http.GetAsync("/api/v1/me");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"AUTHENTICATION_REQUIRED\"", body);
        Assert.Contains("\"success\":false", body);
    }

    [Fact]
    public async Task Root_SendsABrowserToTheDashboard_ThenToSignIn()
    {
        using var browser = PortalClient.For(app);

        var root = await browser.GetAsync("/");
        var dashboard = await browser.GetAsync(root.Location!.OriginalString);

        Assert.Equal("/dashboard/settings/developers", root.Location.OriginalString);
        Assert.StartsWith("/account/sign-in", dashboard.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Overview_ShowsTheTenantsKeysMasked_WithLastUsed()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        var (key, _) = await app.CreateKeyAsync(tenant, ["contacts:read"], name: "Production App");
        using (var api = app.Client(key))
        {
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        }

        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Advance(TimeSpan.FromSeconds(5));
            return !(await browser.GetAsync("/dashboard/settings/developers")).Html.Contains(">Never<");
        }, "the key's last use is written behind");
        var overview = await browser.GetAsync("/dashboard/settings/developers");

        Assert.Contains("Production App", overview.Html);
        Assert.Contains($"{key[..11]}...{key[^3..]}", overview.Html);
        Assert.DoesNotContain(key, overview.Html);
        Assert.Matches("(just now|minutes? ago)</time>", overview.Html);
    }
}

public sealed class PortalSecuritySqliteTests(SqliteFactory app) : PortalSecurityTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalSecurityPostgresTests(PostgresFactory app) : PortalSecurityTests(app), IClassFixture<PostgresFactory>;
