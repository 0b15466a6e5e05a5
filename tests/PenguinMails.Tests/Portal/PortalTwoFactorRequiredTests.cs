using System.Net;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// <c>PenguinMails:Portal:RequireTwoFactorForAdmins</c>: an admin without two-factor is sent to set it up before any
/// other page (sign-out still works); a developer is not; an admin who set it up goes on as before.
/// </summary>
public abstract class PortalTwoFactorRequiredTests
{
    private readonly PenguinMailsFactory _app;

    protected PortalTwoFactorRequiredTests(PenguinMailsFactory app)
    {
        _app = app;
        app.Settings["PenguinMails:Portal:RequireTwoFactorForAdmins"] = "true";
    }

    private async Task<PortalClient> SignedInAsync(UserRole role)
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(_app, role);
        var browser = PortalClient.For(_app);
        await browser.SignInAsync(email, password);
        return browser;
    }

    [Fact]
    public async Task Admin_WithoutTwoFactor_IsSentToSetItUp_UntilItIsOn()
    {
        using var admin = await SignedInAsync(UserRole.Admin);

        var overview = await admin.GetAsync("/dashboard/settings/developers");
        var keys = await admin.GetAsync("/dashboard/settings/developers/keys");
        var password = await admin.GetAsync("/account/password");
        var setup = await admin.GetAsync("/account/security");
        await PortalAccountSecurityTests.EnableTwoFactorAsync(admin, _app.Clock);
        var after = await admin.GetAsync("/dashboard/settings/developers");

        Assert.Equal("/account/security", overview.Location?.OriginalString);
        Assert.Equal("/account/security", keys.Location?.OriginalString);
        Assert.Equal("/account/security", password.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, setup.Status);
        Assert.Contains("This installation requires two-factor authentication for admins.", setup.Html);
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task Developer_IsNotForced_AndAnAdminCanStillSignOut()
    {
        using var developer = await SignedInAsync(UserRole.Developer);
        using var admin = await SignedInAsync(UserRole.Admin);

        var overview = await developer.GetAsync("/dashboard/settings/developers");
        var signOut = await admin.PostFormAsync("/account/security", [], "/account/sign-out");
        var afterSignOut = await admin.GetAsync("/account/security");

        Assert.Equal(HttpStatusCode.OK, overview.Status);
        Assert.Equal("/account/sign-in", signOut.Headers.Location?.OriginalString);
        Assert.StartsWith("/account/sign-in", afterSignOut.Location!.PathAndQuery);
    }
}

public sealed class PortalTwoFactorRequiredSqliteTests(SqliteFactory app) : PortalTwoFactorRequiredTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalTwoFactorRequiredPostgresTests(PostgresFactory app) : PortalTwoFactorRequiredTests(app), IClassFixture<PostgresFactory>;
