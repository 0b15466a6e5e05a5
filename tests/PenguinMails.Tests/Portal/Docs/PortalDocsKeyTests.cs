using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Alerts;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal.Docs;

/// <summary>
/// The docs' "select from your keys" (DECISIONS.md "The portal"): "Create a short-lived test key" on an endpoint page
/// makes a <c>pm_test_</c> docs key for one hour in sudo mode, shows it once, lists it apart on the keys page, lets it be
/// revoked like any key, and raises neither the expiry banner nor an expiry alert.
/// </summary>
public abstract class PortalDocsKeyTests(PenguinMailsFactory app)
{
    private const string SendEmailPage = "/dashboard/settings/developers/docs/endpoints/sendEmail";
    private const string Keys = "/dashboard/settings/developers/keys";

    private async Task<(PortalClient Browser, Guid Tenant, string Password)> SignedInAsync(UserRole role = UserRole.Admin)
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app, role);
        var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        return (browser, tenant, password);
    }

    private static Task<HttpResponseMessage> CreateDocsKeyAsync(PortalClient browser) =>
        browser.PostFormAsync(SendEmailPage, [], SendEmailPage + "?handler=CreateKey");

    private async Task<HttpStatusCode> CallAsync(string key, string path = "/api/v1/me")
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    private Task<List<ApiKey>> KeysOfAsync(Guid tenant) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync());

    [Fact]
    public async Task CreateKey_WhenSudoRanOut_AsksForThePassword_ThenMakesAOneHourTestKey_ShownOnce()
    {
        var (browser, tenant, password) = await SignedInAsync();
        using var _b = browser;
        app.Advance(TimeSpan.FromMinutes(11));

        var stale = await CreateDocsKeyAsync(browser);
        var nothingYet = await KeysOfAsync(tenant);
        var prompt = stale.Headers.Location!.OriginalString;
        var confirmed = await browser.PostFormAsync(prompt, new() { ["Password"] = password });
        var created = await CreateDocsKeyAsync(browser);
        var createdAt = app.Clock.GetUtcNow().UtcDateTime;
        var shown = await browser.GetAsync(SendEmailPage);
        var again = await browser.GetAsync(SendEmailPage);

        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal("/account/confirm-password?returnUrl=" + Uri.EscapeDataString(SendEmailPage + "#try-it"), prompt);
        Assert.Empty(nothingYet);
        Assert.Equal(SendEmailPage + "#try-it", confirmed.Headers.Location!.OriginalString);
        Assert.Equal(SendEmailPage + "#try-it", created.Headers.Location!.OriginalString);
        var key = Assert.Single(await KeysOfAsync(tenant));
        Assert.True(key.IsDocsKey);
        Assert.Equal(KeyEnvironment.Test, key.Environment);
        Assert.Equal(createdAt.AddHours(1), key.ExpiresAt);
        Assert.Equal(Permissions.All, key.Permissions); // an admin's "Full Access"
        var secret = Regex.Match(shown.Html, "<code id=\"docs-new-key\" class=\"text-break\">(pm_test_[A-Za-z0-9]+)</code>").Groups[1].Value;
        Assert.StartsWith(key.KeyId, secret);
        Assert.Contains($"value=\"{secret}\"", shown.Html); // filled in Try It Out's key field
        Assert.Contains("shown this once", shown.Html);
        Assert.DoesNotContain(secret, again.Html);
        Assert.DoesNotContain("docs-new-key", again.Html);
        Assert.Equal(HttpStatusCode.OK, await CallAsync(secret));
        app.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(secret));
    }

    [Fact]
    public async Task CreateKey_ByADeveloper_GetsTheRolesFullAccess_WithoutAdminPermissions()
    {
        var (browser, tenant, _) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;

        await CreateDocsKeyAsync(browser);

        var key = Assert.Single(await KeysOfAsync(tenant));
        Assert.NotEmpty(key.Permissions);
        Assert.DoesNotContain(key.Permissions, p => p.StartsWith("admin:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DocsKey_IsListedApart_RevocableLikeAnyKey_AndRaisesNoExpiryBannerOrAlert()
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;
        var (_, ordinary) = await app.CreateKeyAsync(tenant, ["contacts:read"], name: "Production App");
        await CreateDocsKeyAsync(browser);
        var docsKey = (await KeysOfAsync(tenant)).Single(k => k.IsDocsKey);
        var secret = Regex.Match((await browser.GetAsync(SendEmailPage)).Html, "(pm_test_[A-Za-z0-9]+)</code>").Groups[1].Value;

        var keys = await browser.GetAsync(Keys);
        var overview = await browser.GetAsync("/dashboard/settings/developers");
        var alertTenants = await app.InTenantAsync(tenant, sp =>
            sp.GetServices<IAlertCheck>().OfType<KeyExpiryAlerts>().Single().TenantsToCheckAsync(app.Clock.GetUtcNow().UtcDateTime, default));
        var revoked = await browser.PostFormAsync($"{Keys}/{docsKey.Id}/revoke", []);

        var docsSection = keys.Html.IndexOf("id=\"docs-keys\"", StringComparison.Ordinal);
        Assert.True(docsSection > 0, "the keys page has no Docs keys section");
        Assert.True(keys.Html.IndexOf("Production App", StringComparison.Ordinal) < docsSection);
        Assert.True(keys.Html.IndexOf(docsKey.KeyId, StringComparison.Ordinal) > docsSection, "the docs key is listed with the others");
        Assert.Contains("Showing 1–1 of 1 key", keys.Html); // the ordinary key alone in the main list
        Assert.DoesNotContain("expires within 7 days", keys.Html);
        Assert.DoesNotContain("expires within 7 days", overview.Html);
        Assert.DoesNotContain(tenant, alertTenants);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(secret));
        Assert.NotNull((await KeysOfAsync(tenant)).Single(k => k.Id == docsKey.Id).RevokedAt);
        Assert.Null((await KeysOfAsync(tenant)).Single(k => k.Id == ordinary).RevokedAt);
    }

    [Fact]
    public async Task AnOrdinaryKeyEndingWithinADay_StillRaisesTheBannerAndTheAlert()
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;
        await app.CreateKeyAsync(tenant, ["contacts:read"], name: "Short trial", expiresInDays: 1);

        var keys = await browser.GetAsync(Keys);
        var alertTenants = await app.InTenantAsync(tenant, sp =>
            sp.GetServices<IAlertCheck>().OfType<KeyExpiryAlerts>().Single().TenantsToCheckAsync(app.Clock.GetUtcNow().UtcDateTime, default));

        Assert.Contains("expires within 7 days", keys.Html);
        Assert.Contains(tenant, alertTenants);
        Assert.DoesNotContain("id=\"docs-keys\"", keys.Html);
    }
}

public sealed class PortalDocsKeySqliteTests(SqliteFactory app) : PortalDocsKeyTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalDocsKeyPostgresTests(PostgresFactory app) : PortalDocsKeyTests(app), IClassFixture<PostgresFactory>;
