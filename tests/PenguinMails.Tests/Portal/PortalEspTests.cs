using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Esp;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The ESP settings page as a browser without JavaScript uses it: an admin saves through the same editor as the API;
/// a developer's POST is 403; a POST after the sudo window saves nothing and asks for the password; antiforgery holds.
/// </summary>
public abstract class PortalEspTests(PenguinMailsFactory app)
{
    private const string Page = "/dashboard/settings/integrations/esp/webhooks";

    private async Task<(PortalClient Browser, Guid Tenant)> SignedInAsync(UserRole role)
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app, role, null);
        var browser = PortalClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, password)).StatusCode);
        return (browser, tenant);
    }

    private Task<EspSettingsResponse> SettingsAsync(Guid tenant) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<EspSettingsEditor>().GetAsync(default));

    private static Dictionary<string, string> Postmark(string token) => new() { ["Postmark.ServerToken"] = token, ["Postmark.MessageStream"] = "outbound" };

    [Fact]
    public async Task Admin_SavesPostmark_SecretNeverInThePage()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Admin);
        using var _ = browser;
        var saved = await browser.PostFormAsync(Page, Postmark("portal-token-9z8y"), Page + "?handler=Postmark");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("9z8y", (await SettingsAsync(tenant)).Postmark.ServerTokenLast4);
        var (_, html, _) = await browser.GetAsync(Page);
        Assert.Contains("…9z8y", html);
        Assert.DoesNotContain("portal-token-9z8y", html);
    }

    [Fact]
    public async Task Developer_CannotSave_NorSeeTheWebhookUrls()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Developer);
        using var _ = browser;
        var (status, html, _) = await browser.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("/inbound/esp/", html);
        var refused = await browser.PostFormAsync(Page, new() { ["Transport"] = "smtp" }, Page + "?handler=Transport");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task AfterTheSudoWindow_NothingIsSaved_AndThePasswordIsAskedFor()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Admin);
        using var _ = browser;
        app.Advance(TimeSpan.FromMinutes(11));
        var response = await browser.PostFormAsync(Page, Postmark("late-token-1234"), Page + "?handler=Postmark");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/confirm-password", response.Headers.Location!.OriginalString);
        Assert.Null((await SettingsAsync(tenant)).Postmark.ServerTokenLast4);
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryToken_IsRefused()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Admin);
        using var _ = browser;
        var response = await browser.Http.PostAsync(Page + "?handler=Transport", new FormUrlEncodedContent(new Dictionary<string, string> { ["Transport"] = "smtp" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null((await SettingsAsync(tenant)).Postmark.ServerTokenLast4);
    }
}

public sealed class PortalEspSqliteTests(SqliteFactory app) : PortalEspTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalEspPostgresTests(PostgresFactory app) : PortalEspTests(app), IClassFixture<PostgresFactory>;
