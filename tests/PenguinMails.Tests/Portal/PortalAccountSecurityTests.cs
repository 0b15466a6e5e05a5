using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PenguinMails.Data;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// Forgot password by email (through a real SMTP server, from the operator's sender, DKIM-signed, in no tenant's
/// lists), the reset link's single use and expiry on the server's clock, and authenticator two-factor: set-up,
/// sign-in with a code or a recovery code, lockout, sudo for turning it off — with antiforgery on every new form.
/// </summary>
public abstract partial class PortalAccountSecurityTests
{
    internal const string Operator = "ops@example.com";
    private const string NewPassword = "a-brand-new-password-1";
    private static readonly RSA DkimKey = RSA.Create(2048);
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected PortalAccountSecurityTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (_app, _smtp) = (app, smtp);
        foreach (var (name, value) in smtp.Settings())
        {
            app.Settings[name] = value;
        }

        app.Settings["PenguinMails:InstallationMail:From"] = $"PenguinMails Operator <{Operator}>";
        app.Settings["PenguinMails:Dkim:Domain"] = "example.com";
        app.Settings["PenguinMails:Dkim:Selector"] = "pm1";
        app.Settings["PenguinMails:Dkim:PrivateKey"] = DkimKey.ExportPkcs8PrivateKeyPem();
    }

    private async Task<(PortalClient Browser, Guid Tenant, string Email, string Password)> SignedInAsync(UserRole role = UserRole.Admin)
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(_app, role);
        var browser = PortalClient.For(_app);
        await browser.SignInAsync(email, password);
        return (browser, tenant, email, password);
    }

    private static Task<HttpResponseMessage> ForgotAsync(PortalClient browser, string email) =>
        browser.PostFormAsync("/account/forgot-password", new() { ["Email"] = email });

    /// <summary>The path and query of the reset link in the <paramref name="nth"/> mail (1-based) to <paramref name="email"/>, once it arrived.</summary>
    private async Task<string> ResetLinkAsync(string email, int nth = 1)
    {
        await PenguinMailsFactory.Eventually(() => Task.FromResult(_smtp.MessagesTo(email).Count >= nth), $"mail {nth} reached {email}");
        var link = ResetLink().Match(_smtp.MessagesTo(email)[nth - 1].TextBody ?? "");
        Assert.True(link.Success, "the mail holds a reset link");
        return new Uri(link.Value).PathAndQuery;
    }

    /// <summary>Posts the reset form to <paramref name="link"/> (with a token of this browser's, as a link already refused shows no form).</summary>
    private static Task<HttpResponseMessage> ResetAsync(PortalClient browser, string link, string password) =>
        browser.PostFormAsync("/account/forgot-password", new()
        {
            ["Id"] = Regex.Match(link, "id=([^&]+)").Groups[1].Value, ["Token"] = Regex.Match(link, "token=([^&]+)").Groups[1].Value,
            ["Input.New"] = password, ["Input.Confirm"] = password,
        }, link);

    private Task<List<string>> EventsAsync(Guid tenant) => _app.InTenantAsync(tenant, sp =>
        sp.GetRequiredService<AppDb>().SecurityEvents.OrderBy(e => e.OccurredAt).Select(e => e.Type).ToListAsync());

    /// <summary>Turns two-factor on from the security page; returns the key and the recovery codes shown.</summary>
    internal static async Task<(string Key, List<string> Codes)> EnableTwoFactorAsync(PortalClient browser, TimeProvider clock)
    {
        var page = await browser.GetAsync("/account/security");
        var key = SharedKey().Match(page.Html).Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        var enabled = await browser.PostFormAsync("/account/security", new() { ["Code"] = Totp.Code(key, clock.GetUtcNow()) }, "/account/security?handler=Enable");
        var html = await enabled.Content.ReadAsStringAsync();
        return (key, RecoveryCode().Matches(html).Select(m => m.Value).Distinct().ToList());
    }

    [Fact]
    public async Task ForgotPassword_SameAnswerForUnknownEmail_MailOnlyToTheAccount_FromTheOperator_InNoTenantsList()
    {
        var (tenant, email, _) = await PortalSignInTests.MemberAsync(_app);
        var (key, _) = await _app.CreateKeyAsync(tenant, ["emails:send"]);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        using var browser = PortalClient.For(_app);

        var known = await ForgotAsync(browser, email);
        var stranger = await ForgotAsync(browser, unknown);
        var link = await ResetLinkAsync(email);
        using var api = _app.Client(key);
        var list = await api.GetStringAsync("/api/v1/emails");

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stranger.StatusCode);
        Assert.Equal(Normalized(await known.Content.ReadAsStringAsync()).Replace(email, "ADDRESS"),
            Normalized(await stranger.Content.ReadAsStringAsync()).Replace(unknown, "ADDRESS"));
        Assert.Contains("we've sent it a link", await stranger.Content.ReadAsStringAsync());
        var mail = Assert.Single(_smtp.MessagesTo(email));
        Assert.Equal(Operator, mail.From.Mailboxes.Single().Address);
        Assert.Equal(Operator, mail.Headers["X-Test-Mail-From"]);
        Assert.Contains("d=example.com", mail.Headers[HeaderId.DkimSignature]);
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
        Assert.Contains("Reset your password", mail.HtmlBody);
        Assert.StartsWith("/account/reset-password?id=", link);
        Assert.Empty(_smtp.MessagesTo(unknown));
        Assert.Equal(0, await _app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().InstallationMail.CountAsync(m => m.To == unknown)));
        Assert.DoesNotContain(email, list);
        Assert.DoesNotContain("Reset your PenguinMails password", list);
        Assert.Contains("account.password_reset_requested", await EventsAsync(tenant));
        await PenguinMailsFactory.Eventually(() => _app.InTenantAsync(tenant, async sp =>
            await sp.GetRequiredService<AppDb>().InstallationMail.AnyAsync(m => m.To == email && m.SentAt != null && m.TextBody == "")),
            "the sent reset mail's body is gone from the outbox");
    }

    [Fact]
    public async Task ResetLink_WorksOnce_UnlocksTheAccount_ThenIsRefused()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(_app);
        using var browser = PortalClient.For(_app);
        for (var i = 0; i < 5; i++)
        {
            await browser.SignInAsync(email, "wrong-password-" + i);
        }

        await ForgotAsync(browser, email);
        var link = await ResetLinkAsync(email);
        var form = await browser.GetAsync(link);
        var tooShort = await ResetAsync(browser, link, "short");
        var reset = await ResetAsync(browser, link, NewPassword);
        var again = await browser.GetAsync(link);
        var reuse = await ResetAsync(browser, link, "yet-another-password-2");
        var oldPassword = await browser.SignInAsync(email, password);
        var signedIn = await browser.SignInAsync(email, NewPassword);

        Assert.Contains("Choose a new password", form.Html);
        Assert.Contains("The new password must have at least 12 characters.", await tooShort.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/account/sign-in?reset=done", reset.Headers.Location!.OriginalString);
        Assert.Contains("This link no longer works", again.Html);
        Assert.Contains("/account/forgot-password", again.Html);
        Assert.Contains("This link no longer works", await reuse.Content.ReadAsStringAsync());
        Assert.Contains("The email address or password is not correct.", await oldPassword.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard/settings/developers", signedIn.Headers.Location!.OriginalString);
        Assert.Contains("account.password_reset_completed", await EventsAsync(tenant));
    }

    [Fact]
    public async Task ResetLink_RefusedAfterItsHour_AndAfterAnotherPasswordChange()
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(_app);
        using var browser = PortalClient.For(_app);
        await ForgotAsync(browser, email);
        var expiring = await ResetLinkAsync(email);

        _app.Advance(TimeSpan.FromMinutes(59));
        var before = await browser.GetAsync(expiring);
        _app.Advance(TimeSpan.FromMinutes(2));
        var after = await browser.GetAsync(expiring);
        var afterPost = await ResetAsync(browser, expiring, NewPassword);

        await ForgotAsync(browser, email);
        var superseded = await ResetLinkAsync(email, 2);
        await browser.SignInAsync(email, password);
        await browser.PostFormAsync("/account/password", new() { ["Input.Current"] = password, ["Input.New"] = NewPassword, ["Input.Confirm"] = NewPassword });
        var afterChange = await browser.GetAsync(superseded);

        Assert.Contains("Choose a new password", before.Html);
        Assert.Contains("This link no longer works", after.Html);
        Assert.Contains("This link no longer works", await afterPost.Content.ReadAsStringAsync());
        Assert.Contains("This link no longer works", afterChange.Html);
    }

    [Fact]
    public async Task InstallationMail_TemporaryFailure_IsRetriedAfterTheQueuesBackoff_PermanentOneFails()
    {
        var retried = $"tempfail1-{Guid.NewGuid():N}@example.com";
        var rejected = $"reject-{Guid.NewGuid():N}@example.com";
        var ids = await _app.InTenantAsync(Guid.Empty, async sp =>
        {
            var mail = sp.GetRequiredService<PenguinMails.Installation.InstallationMail>();
            return new[]
            {
                await mail.QueueAsync("test", retried, "Retried", "text", null, default),
                await mail.QueueAsync("test", rejected, "Rejected", "text", null, default),
            };
        });
        Task<PenguinMails.Installation.InstallationMessage> RowAsync(Guid id) => _app.InTenantAsync(Guid.Empty, sp =>
            sp.GetRequiredService<AppDb>().InstallationMail.AsNoTracking().SingleAsync(m => m.Id == id));

        await PenguinMailsFactory.Eventually(async () => (await RowAsync(ids[0])).Attempts == 1 && (await RowAsync(ids[0])).LeaseOwner is null
            && (await RowAsync(ids[1])).Status == PenguinMails.Installation.InstallationMessageStatus.Failed, "both were tried once");
        var deferred = await RowAsync(ids[0]);
        _app.Advance(TimeSpan.FromSeconds(61));
        _app.Services.GetRequiredService<PenguinMails.Delivery.DispatchSignal>().Notify();
        await PenguinMailsFactory.Eventually(async () => _smtp.MessagesTo(retried).Count == 1
            && (await RowAsync(ids[0])).Status == PenguinMails.Installation.InstallationMessageStatus.Sent, "the retry was delivered and recorded");

        Assert.Equal(PenguinMails.Installation.InstallationMessageStatus.Queued, deferred.Status);
        Assert.Contains("451", deferred.LastError);
        Assert.Equal(2, (await RowAsync(ids[0])).Attempts);
        Assert.Contains("550", (await RowAsync(ids[1])).LastError);
        Assert.Empty(_smtp.MessagesTo(rejected));
    }

    [Fact]
    public async Task ForgotPassword_IsThrottledPerAddress_WithTheSameAnswer()
    {
        var (tenant, email, _) = await PortalSignInTests.MemberAsync(_app);
        using var browser = PortalClient.For(_app);

        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(Normalized(await (await ForgotAsync(browser, email)).Content.ReadAsStringAsync()));
        }

        var queued = await _app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().InstallationMail.CountAsync(m => m.To == email));
        Assert.Equal(3, queued);
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task SecurityPage_FirstVisit_MakesAKeyWithoutEndingOtherSessions_TurningItOnEndsThem()
    {
        var (browser, _, email, password) = await SignedInAsync();
        using var _b = browser;
        using var laptop = PortalClient.For(_app);
        await laptop.SignInAsync(email, password);

        await browser.GetAsync("/account/security");
        _app.Clock.Advance(TimeSpan.FromMinutes(31)); // past the security stamp's re-check interval
        var afterVisit = await laptop.GetAsync("/dashboard/settings/developers");
        await EnableTwoFactorAsync(browser, _app.Clock);
        _app.Clock.Advance(TimeSpan.FromMinutes(31));
        var afterEnable = await laptop.GetAsync("/dashboard/settings/developers");

        Assert.Equal(HttpStatusCode.OK, afterVisit.Status);
        Assert.Equal(HttpStatusCode.Redirect, afterEnable.Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/settings/developers")).Status);
    }

    [Fact]
    public async Task TwoFactor_NeedsARightCodeToTurnOn_ThenSignInAsksForIt_AndEachRecoveryCodeWorksOnce()
    {
        var (browser, tenant, email, password) = await SignedInAsync();
        using var _b = browser;
        var setup = await browser.GetAsync("/account/security");
        var key = SharedKey().Match(setup.Html).Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        var wrong = await browser.PostFormAsync("/account/security", new() { ["Code"] = Totp.Wrong(key, _app.Clock.GetUtcNow()) }, "/account/security?handler=Enable");
        var (sameKey, codes) = await EnableTwoFactorAsync(browser, _app.Clock);

        using var second = PortalClient.For(_app);
        var password1 = await second.SignInAsync(email, password);
        var notYet = await second.GetAsync("/dashboard/settings/developers");
        var replayed = await second.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = Totp.Code(key, _app.Clock.GetUtcNow()) });
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        var verified = await second.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = Totp.Code(key, _app.Clock.GetUtcNow()) });
        using var third = PortalClient.For(_app);
        await third.SignInAsync(email, password);
        var recovered = await third.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = codes[0].ToLowerInvariant() });
        using var fourth = PortalClient.For(_app);
        await fourth.SignInAsync(email, password);
        var reused = await fourth.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = codes[0] });

        Assert.Contains("data:image/png;base64,", setup.Html);
        Assert.Matches("^[A-Z2-7]{32}$", key);
        Assert.Contains("That code is not correct.", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(key, sameKey);
        Assert.Contains("is not correct", await replayed.Content.ReadAsStringAsync()); // the set-up's code, once used, is spent
        Assert.Equal(10, codes.Count);
        Assert.Equal(HttpStatusCode.Redirect, password1.StatusCode);
        Assert.StartsWith("/account/sign-in/two-factor", password1.Headers.Location!.OriginalString);
        Assert.StartsWith("/account/sign-in", notYet.Location!.PathAndQuery);
        Assert.Equal("/dashboard/settings/developers", verified.Headers.Location?.OriginalString);
        Assert.Single(verified.Headers.GetValues("Set-Cookie"), c => c.StartsWith("pm_portal=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/dashboard/settings/developers")).Status);
        Assert.Equal("/dashboard/settings/developers", recovered.Headers.Location?.OriginalString);
        Assert.Contains("That recovery code is not correct or was already used.", await reused.Content.ReadAsStringAsync());
        Assert.Contains("Recovery codes left: 9 of 10", (await second.GetAsync("/account/security")).Html);
        var events = await EventsAsync(tenant);
        Assert.Contains("account.two_factor_enabled", events);
        Assert.Contains("account.recovery_code_used", events);
    }

    [Fact]
    public async Task CliResetPassword_WithDisableTwoFactor_LetsALockedOutAdminInWithoutACode()
    {
        var (browser, tenant, email, _) = await SignedInAsync();
        using var _b = browser;
        await EnableTwoFactorAsync(browser, _app.Clock);

        var kept = await _app.InTenantAsync(tenant, sp => sp.GetRequiredService<UserAccounts>().ResetPasswordAsync(email));
        using var first = PortalClient.For(_app);
        var stillAsked = await first.SignInAsync(email, kept!);
        var password = await _app.InTenantAsync(tenant, sp => sp.GetRequiredService<UserAccounts>().ResetPasswordAsync(email, disableTwoFactor: true));
        using var second = PortalClient.For(_app);
        var signedIn = await second.SignInAsync(email, password!);

        Assert.StartsWith("/account/sign-in/two-factor", stillAsked.Headers.Location!.OriginalString);
        Assert.Equal("/dashboard/settings/developers", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task TwoFactor_WrongCodesLockOut_LikeWrongPasswords()
    {
        var (browser, _, email, password) = await SignedInAsync();
        using var _b = browser;
        var (key, codes) = await EnableTwoFactorAsync(browser, _app.Clock);
        using var other = PortalClient.For(_app);
        await other.SignInAsync(email, password);

        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await (await other.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = Totp.Wrong(key, _app.Clock.GetUtcNow()) })).Content.ReadAsStringAsync());
        }

        answers.Add(await (await other.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = "WRONG-CODES" })).Content.ReadAsStringAsync());
        var passwordAgain = await other.SignInAsync(email, password);

        Assert.All(answers.Take(3), a => Assert.Contains("That code is not correct.", a));
        Assert.Contains("This account is locked after 5 wrong passwords in a row", answers[4]);
        Assert.Contains("This account is locked", await passwordAgain.Content.ReadAsStringAsync());
        Assert.Equal(10, codes.Count);
    }

    [Fact]
    public async Task TwoFactor_TurningOffAndNewRecoveryCodes_NeedSudo()
    {
        var (browser, tenant, _, password) = await SignedInAsync();
        using var _b = browser;
        var (_, codes) = await EnableTwoFactorAsync(browser, _app.Clock);
        _app.Advance(TimeSpan.FromMinutes(11));

        var staleCodes = await browser.PostFormAsync("/account/security", new(), "/account/security?handler=RecoveryCodes");
        var staleOff = await browser.PostFormAsync("/account/security", new(), "/account/security?handler=Disable");
        await browser.PostFormAsync("/account/confirm-password?returnUrl=%2Faccount%2Fsecurity", new() { ["Password"] = password });
        var renewed = await browser.PostFormAsync("/account/security", new(), "/account/security?handler=RecoveryCodes");
        var newCodes = RecoveryCode().Matches(await renewed.Content.ReadAsStringAsync()).Select(m => m.Value).Distinct().ToList();
        var off = await browser.PostFormAsync("/account/security", new(), "/account/security?handler=Disable");
        var page = await browser.GetAsync(off.Headers.Location!.OriginalString);

        Assert.StartsWith("/account/confirm-password?returnUrl=", staleCodes.Headers.Location!.OriginalString);
        Assert.StartsWith("/account/confirm-password?returnUrl=", staleOff.Headers.Location!.OriginalString);
        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(codes));
        Assert.Contains("Two-factor authentication is off.", page.Html);
        Assert.Contains("Turn on two-factor", page.Html);
        var events = await EventsAsync(tenant);
        Assert.Contains("account.recovery_codes_regenerated", events);
        Assert.Contains("account.two_factor_disabled", events);
    }

    [Fact]
    public async Task NewForms_WithoutTheirAntiforgeryToken_AreRefused()
    {
        var (browser, _, email, _) = await SignedInAsync();
        using var _b = browser;
        using var anonymous = PortalClient.For(_app);
        await anonymous.GetAsync("/account/forgot-password");

        var posts = new List<HttpResponseMessage>
        {
            await anonymous.Http.PostAsync("/account/forgot-password", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = email })),
            await anonymous.Http.PostAsync("/account/reset-password", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.New"] = NewPassword })),
            await anonymous.Http.PostAsync("/account/sign-in/two-factor", new FormUrlEncodedContent(new Dictionary<string, string> { ["Code"] = "123456" })),
        };
        foreach (var handler in new[] { "Enable", "Disable", "RecoveryCodes" })
        {
            posts.Add(await browser.Http.PostAsync($"/account/security?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string> { ["Code"] = "123456" })));
        }

        Assert.All(posts, p => Assert.Equal(HttpStatusCode.BadRequest, p.StatusCode));
        Assert.Equal(0, await _app.InTenantAsync(Guid.Empty, sp => sp.GetRequiredService<AppDb>().InstallationMail.CountAsync(m => m.To == email)));
    }

    /// <summary>A page without its antiforgery token, which differs from answer to answer.</summary>
    private static string Normalized(string html) => AntiforgeryField().Replace(html, "");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"https?://[^\s/]+/account/reset-password\?id=[0-9a-f-]+&token=[A-Za-z0-9_-]+")]
    private static partial Regex ResetLink();

    [GeneratedRegex("id=\"shared-key\">([a-z2-7 ]+)</code>")]
    internal static partial Regex SharedKey();

    [GeneratedRegex("\\b[A-Z0-9]{5}-[A-Z0-9]{5}\\b")]
    internal static partial Regex RecoveryCode();
}

public sealed class PortalAccountSecuritySqliteTests(SqliteFactory app, SmtpServer smtp)
    : PortalAccountSecurityTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class PortalAccountSecurityPostgresTests(PostgresFactory app, SmtpServer smtp)
    : PortalAccountSecurityTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;
