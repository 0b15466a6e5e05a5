using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>Sign-in, lockout, sign-out and changing one's password, through the pages as a browser posts them.</summary>
public abstract class PortalSignInTests(PenguinMailsFactory app)
{
    internal static async Task<(Guid Tenant, string Email, string Password)> MemberAsync(PenguinMailsFactory app,
        UserRole role = UserRole.Admin, Guid? tenant = null, string? email = null)
    {
        var tenantId = tenant ?? await app.CreateTenantAsync();
        var address = email ?? $"u{Guid.NewGuid():N}@example.com";
        var added = await app.InTenantAsync(tenantId, sp => sp.GetRequiredService<UserAccounts>().AddMemberAsync(address, role, ChangeActor.Cli, default));
        return (tenantId, address, added.Password ?? "");
    }

    [Fact]
    public async Task SignIn_RightPassword_LandsOnTheOverviewOfItsTenant()
    {
        var (_, email, password) = await MemberAsync(app);
        using var browser = PortalClient.For(app);

        var signedIn = await browser.SignInAsync(email.ToUpperInvariant(), password);
        var overview = await browser.GetAsync("/dashboard/settings/developers");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard/settings/developers", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, overview.Status);
        Assert.Contains("Start Building with PenguinMails API", overview.Html);
        Assert.Contains(email, overview.Html);
    }

    [Fact]
    public async Task SignIn_WrongPasswordOrUnknownEmail_SameMessage_NoSession()
    {
        var (_, email, _) = await MemberAsync(app);
        using var browser = PortalClient.For(app);

        var wrong = await browser.SignInAsync(email, "not-the-password");
        var unknown = await browser.SignInAsync("nobody@example.com", "not-the-password");
        var overview = await browser.GetAsync("/dashboard/settings/developers");

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("The email address or password is not correct.", await wrong.Content.ReadAsStringAsync());
        Assert.Contains("The email address or password is not correct.", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, overview.Status);
        Assert.StartsWith("/account/sign-in", overview.Location!.PathAndQuery);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockTheAccount_EvenTheRightPasswordIsRefused()
    {
        var (_, email, password) = await MemberAsync(app);
        using var browser = PortalClient.For(app);
        for (var i = 0; i < 5; i++)
        {
            await browser.SignInAsync(email, "wrong-password-" + i);
        }

        var right = await browser.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("This account is locked after 5 wrong passwords in a row", await right.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard/settings/developers")).Status);
    }

    [Fact]
    public async Task ResetPassword_UnlocksALockedAccount_WithANewPassword()
    {
        var (_, email, password) = await MemberAsync(app);
        using var browser = PortalClient.For(app);
        for (var i = 0; i < 5; i++)
        {
            await browser.SignInAsync(email, "wrong-password-" + i);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var fresh = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ResetPasswordAsync(email);

        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(email, password)).StatusCode); // the old one is gone
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, fresh!)).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var (_, email, password) = await MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);

        var signedOut = await browser.PostFormAsync("/dashboard/settings/developers", [], "/account/sign-out");

        Assert.Equal("/account/sign-in", signedOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard/settings/developers")).Status);
    }

    /// <summary>
    /// The session lives on the server: after signing out, a copy of the cookie taken before (another tab's, a stolen
    /// one) is refused, not only the browser's own cookie cleared.
    /// </summary>
    [Fact]
    public async Task SignOut_EndsTheSessionOnTheServer_ACopyOfTheCookieNoLongerWorks()
    {
        var (_, email, password) = await MemberAsync(app);
        using var browser = PortalClient.For(app);
        var signedIn = await browser.SignInAsync(email, password);
        using var copy = CookieCopy(signedIn);
        var before = await copy.GetAsync("/dashboard/settings/developers");

        await browser.PostFormAsync("/dashboard/settings/developers", [], "/account/sign-out");
        var after = await copy.GetAsync("/dashboard/settings/developers");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/sign-in", after.Headers.Location!.PathAndQuery);
    }

    /// <summary>
    /// Every way a password changes — the account's own page, an emailed reset, an admin's or the command line's reset —
    /// ends the account's other sessions on their very next request (not at Identity's 30-minute re-check); the page that
    /// changed it stays signed in.
    /// </summary>
    [Theory]
    [InlineData("own page")]
    [InlineData("reset by an admin or the command line")]
    public async Task PasswordChanged_EndsEveryOtherSession_AtOnce(string how)
    {
        var (_, email, password) = await MemberAsync(app);
        using var laptop = PortalClient.For(app);
        using var phone = PortalClient.For(app);
        await laptop.SignInAsync(email, password);
        await phone.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/dashboard/settings/developers")).Status);

        if (how == "own page")
        {
            var changed = await laptop.PostFormAsync("/account/password",
                new() { ["Input.Current"] = password, ["Input.New"] = "a new passphrase", ["Input.Confirm"] = "a new passphrase" });
            Assert.Contains("Other sessions of your account are signed out.", await changed.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/dashboard/settings/developers")).Status);
        }
        else
        {
            await using var scope = app.Services.CreateAsyncScope();
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<UserAccounts>().ResetPasswordAsync(email));
            Assert.Equal(HttpStatusCode.Redirect, (await laptop.GetAsync("/dashboard/settings/developers")).Status);
        }

        var ended = await phone.GetAsync("/dashboard/settings/developers");
        Assert.Equal(HttpStatusCode.Redirect, ended.Status);
        Assert.StartsWith("/account/sign-in", ended.Location!.PathAndQuery);
    }

    /// <summary>Sessions no request can use any more — expired, or issued before a password change — are deleted by the hourly retention.</summary>
    [Fact]
    public async Task SessionRetention_DeletesEndedSessions_KeepsLiveOnes()
    {
        var (_, email, password) = await MemberAsync(app);
        using var laptop = PortalClient.For(app);
        using var phone = PortalClient.For(app);
        await laptop.SignInAsync(email, password);
        await phone.SignInAsync(email, password);
        await laptop.PostFormAsync("/account/password",
            new() { ["Input.Current"] = password, ["Input.New"] = "a new passphrase", ["Input.Confirm"] = "a new passphrase" });

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PenguinMails.Data.AppDb>();
        var account = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PenguinMails.Users.Account>>().FindByEmailAsync(email))!.Id;
        var retention = app.Services.GetRequiredService<PenguinMails.Portal.Sessions.PortalSessionRetention>();
        var before = await db.PortalSessions.CountAsync(s => s.AccountId == account);
        await retention.PruneAsync(default);
        var afterStampChange = await db.PortalSessions.CountAsync(s => s.AccountId == account);
        app.Clock.Advance(TimeSpan.FromDays(2)); // past the session's 8 hours
        await retention.PruneAsync(default);
        var afterExpiry = await db.PortalSessions.CountAsync(s => s.AccountId == account);

        Assert.Equal(2, before);
        Assert.Equal(1, afterStampChange); // the laptop's, renewed with the new stamp
        Assert.Equal(0, afterExpiry);
    }

    /// <summary>A client without a cookie jar that sends the portal cookie <paramref name="signIn"/> set, as a copy of it would.</summary>
    private HttpClient CookieCopy(HttpResponseMessage signIn)
    {
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pm_portal=", StringComparison.Ordinal)).Split(';')[0];
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    [Fact]
    public async Task ChangePassword_TheNewOneSignsIn_TheOldOneNoLonger()
    {
        var (_, email, password) = await MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);

        var wrongCurrent = await browser.PostFormAsync("/account/password",
            new() { ["Input.Current"] = "nope-nope-nope", ["Input.New"] = "a new passphrase", ["Input.Confirm"] = "a new passphrase" });
        var changed = await browser.PostFormAsync("/account/password",
            new() { ["Input.Current"] = password, ["Input.New"] = "a new passphrase", ["Input.Confirm"] = "a new passphrase" });

        Assert.Contains("The current password is not correct.", await wrongCurrent.Content.ReadAsStringAsync());
        Assert.Contains("Your password was changed.", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/settings/developers")).Status);
        using var other = PortalClient.For(app);
        Assert.Equal(HttpStatusCode.OK, (await other.SignInAsync(email, password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync(email, "a new passphrase")).StatusCode);
    }

    [Fact]
    public async Task SeededAdmin_OfTheDefaultTenant_CanSignIn()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var password = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ResetPasswordAsync("admin@penguinmails.local");
        using var browser = PortalClient.For(app);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin@penguinmails.local", password!)).StatusCode);
        Assert.Contains("Default", (await browser.GetAsync("/dashboard/settings/developers")).Html);
    }
}

public sealed class PortalSignInSqliteTests(SqliteFactory app) : PortalSignInTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalSignInPostgresTests(PostgresFactory app) : PortalSignInTests(app), IClassFixture<PostgresFactory>;
