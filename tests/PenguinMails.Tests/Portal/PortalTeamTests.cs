using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The team page, /dashboard/settings/team, as a browser without JavaScript uses it: adding members (a new account's
/// password shown once; an existing account keeps its own), role changes, removal, resets and unlocks, with the rules
/// a careful admin expects (the last admin stays; admins are reset only by the CLI), developers read-only (403 on
/// every change), another tenant's member 404, antiforgery, sudo mode and the security events.
/// </summary>
public abstract partial class PortalTeamTests(PenguinMailsFactory app)
{
    private const string Team = "/dashboard/settings/team";

    private async Task<(PortalClient Browser, Guid Tenant, string Email)> SignedInAsync(UserRole role = UserRole.Admin, Guid? tenant = null)
    {
        var (tenantId, email, password) = await PortalSignInTests.MemberAsync(app, role, tenant);
        var browser = PortalClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, password)).StatusCode);
        return (browser, tenantId, email);
    }

    private Task<List<TeamMember>> MembersAsync(Guid tenant) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<PenguinMails.Users.Team>().ListAsync(default));

    private async Task<Guid> MemberIdAsync(Guid tenant, string email) => (await MembersAsync(tenant)).Single(m => m.Email == email).Id;

    private Task<List<SecurityEvent>> EventsAsync(Guid tenant) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().SecurityEvents.OrderBy(e => e.OccurredAt).ToListAsync());

    private static Task<HttpResponseMessage> ActAsync(PortalClient browser, Guid member, string verb, Dictionary<string, string>? fields = null) =>
        browser.PostFormAsync($"{Team}/{member}/{verb}", fields ?? []);

    private static Task<HttpResponseMessage> AddAsync(PortalClient browser, string email, string role = "Developer") =>
        browser.PostFormAsync(Team, new() { ["Input.Email"] = email, ["Input.Role"] = role });

    private async Task LockOutAsync(string email)
    {
        using var stranger = PortalClient.For(app);
        for (var i = 0; i < 5; i++)
        {
            await stranger.SignInAsync(email, "wrong-password-" + i);
        }
    }

    private static string PasswordIn(string html) => PasswordField().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

    [Fact]
    public async Task Add_NewAccount_ShowsItsPasswordOnce_WhichSignsIn()
    {
        var (browser, tenant, admin) = await SignedInAsync();
        using var _b = browser;
        var email = $"new{Guid.NewGuid():N}@example.com";

        var added = await AddAsync(browser, email.ToUpperInvariant());
        var shown = await browser.GetAsync(added.Headers.Location!.OriginalString);
        var again = await browser.GetAsync($"{Team}/password");
        var list = await browser.GetAsync(Team);

        Assert.Equal($"{Team}/password", added.Headers.Location.OriginalString);
        Assert.Contains("Member added", shown.Html);
        var password = PasswordIn(shown.Html);
        Assert.Equal(20, password.Length);
        Assert.Contains("This password is no longer shown", again.Html);
        Assert.DoesNotContain(password, again.Html);
        Assert.DoesNotContain(password, list.Html);
        Assert.Contains(email, list.Html);
        using var member = PortalClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignInAsync(email, password)).StatusCode);
        var created = Assert.Single(await EventsAsync(tenant), e => e.Type == SecurityEventTypes.UserCreated && e.Actor != "cli");
        Assert.Equal(($"user:{admin}", "127.0.0.1"), (created.Actor, created.IpAddress));
        Assert.Contains($"{email} (developer, new account)", created.Detail);
    }

    [Fact]
    public async Task Add_ExistingAccount_IsJustAdded_ItsPasswordUnchanged_AndThePageSaysSo()
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;
        var (_, email, password) = await PortalSignInTests.MemberAsync(app, UserRole.Admin);

        var added = await AddAsync(browser, email);
        var page = await browser.GetAsync(added.Headers.Location!.OriginalString);
        var twice = await AddAsync(browser, email);

        Assert.Equal(Team, added.Headers.Location.OriginalString);
        Assert.Contains($"{email} already had an account: it was added as developer. Its password is unchanged.", page.Html);
        Assert.Contains($"{email} is already a member of this tenant.", await twice.Content.ReadAsStringAsync());
        Assert.Equal(UserRole.Developer, (await MembersAsync(tenant)).Single(m => m.Email == email).Role);
        using var member = PortalClient.For(app);
        Assert.StartsWith("/account/choose-tenant", (await member.SignInAsync(email, password)).Headers.Location!.OriginalString);
    }

    /// <summary>Not an address at all, and every address the one rule refuses (<see cref="Emails.AddressRuleTests"/>): a member's
    /// address is where the installation's own mail (alerts) goes, so it is held to the rule sends are.</summary>
    public static TheoryData<string> NotAnAccountAddress => ["not an address", .. Emails.AddressRuleTests.Undeliverable];

    [Theory]
    [MemberData(nameof(NotAnAccountAddress))]
    public async Task Add_InvalidAddress_IsRefusedAtTheField(string address)
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;

        var html = await (await AddAsync(browser, address)).Content.ReadAsStringAsync();

        Assert.Equal(2, Regex.Count(html, "Enter an email address like name@example.com."));
        Assert.Contains("href=\"#Input_Email\"", html);
        Assert.Single(await MembersAsync(tenant));
    }

    [Fact]
    public async Task ChangeRole_PromotesADeveloper_WhoThenSeesTheControls()
    {
        var (browser, tenant, admin) = await SignedInAsync();
        using var _b = browser;
        var (developer, _, email) = await SignedInAsync(UserRole.Developer, tenant);
        using var _d = developer;
        Assert.DoesNotContain("Add member", (await developer.GetAsync(Team)).Html);

        var changed = await ActAsync(browser, await MemberIdAsync(tenant, email), "role", new() { ["Role"] = "Admin" });

        Assert.Equal(Team, changed.Headers.Location!.OriginalString);
        Assert.Contains($"{email} is now an admin.", (await browser.GetAsync(Team)).Html);
        Assert.Contains("Add member", (await developer.GetAsync(Team)).Html);
        var changedEvent = Assert.Single(await EventsAsync(tenant), e => e.Type == SecurityEventTypes.UserRoleChanged);
        Assert.Equal(($"user:{admin}", $"{email}: developer → admin"), (changedEvent.Actor, changedEvent.Detail));
    }

    [Fact]
    public async Task LastAdmin_CanBeNeitherDemotedNorRemoved_WithAClearMessage()
    {
        var (browser, tenant, admin) = await SignedInAsync();
        using var _b = browser;
        var self = await MemberIdAsync(tenant, admin);

        var page = await browser.GetAsync($"{Team}/{self}/remove");
        var demote = await ActAsync(browser, self, "role", new() { ["Role"] = "Developer" });
        var remove = await ActAsync(browser, self, "remove");

        Assert.Contains("This is the tenant&#x27;s only admin", page.Html);
        Assert.DoesNotContain("Remove member</button>", page.Html);
        Assert.Equal(HttpStatusCode.OK, demote.StatusCode);
        Assert.Contains("This is the tenant&#x27;s only admin: make another member an admin first.", await demote.Content.ReadAsStringAsync());
        Assert.Contains("This is the tenant&#x27;s only admin", await remove.Content.ReadAsStringAsync());
        Assert.Equal(UserRole.Admin, Assert.Single(await MembersAsync(tenant)).Role);
        Assert.DoesNotContain(await EventsAsync(tenant), e => e.Type is SecurityEventTypes.UserRemoved or SecurityEventTypes.UserRoleChanged);
    }

    [Fact]
    public async Task LastAdmin_TheServiceItselfRefuses_WhateverThePageShowed()
    {
        var (tenant, admin, _) = await PortalSignInTests.MemberAsync(app);
        var member = (await MembersAsync(tenant)).Single(m => m.Email == admin);

        var refused = await Assert.ThrowsAsync<TeamRuleException>(() => app.InTenantAsync(tenant, async sp =>
        {
            await sp.GetRequiredService<PenguinMails.Users.Team>().RemoveAsync(member, ChangeActor.Cli, default);
            return 0;
        }));

        Assert.Equal(PenguinMails.Users.Team.LastAdmin, refused.Message);
        Assert.Single(await MembersAsync(tenant));
    }

    [Fact]
    public async Task Remove_EndsTheMembersAccessToThisTenantAtOnce_NotToTheirOthers()
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;
        var other = await app.CreateTenantAsync();
        var (_, email, password) = await PortalSignInTests.MemberAsync(app, UserRole.Admin, other);
        await PortalSignInTests.MemberAsync(app, UserRole.Admin, tenant, email);
        using var member = PortalClient.For(app);
        await member.SignInAsync(email, password);
        await member.PostFormAsync("/account/choose-tenant", new() { ["tenantId"] = tenant.ToString() });
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(Team)).Status);

        var confirm = await browser.GetAsync($"{Team}/{await MemberIdAsync(tenant, email)}/remove");
        var removed = await ActAsync(browser, await MemberIdAsync(tenant, email), "remove");
        var refused = await member.GetAsync(Team);
        var chosenOther = await member.PostFormAsync("/account/choose-tenant", new() { ["tenantId"] = other.ToString() });

        Assert.Contains("Their access to this tenant ends at once", confirm.Html);
        Assert.Equal(Team, removed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.StartsWith("/account/choose-tenant", refused.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, chosenOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(Team)).Status);
        Assert.DoesNotContain(await MembersAsync(tenant), m => m.Email == email);
        Assert.Single(await MembersAsync(other), m => m.Email == email);
        Assert.Single(await EventsAsync(tenant), e => e.Type == SecurityEventTypes.UserRemoved && e.Detail!.Contains(email));
    }

    [Fact]
    public async Task ResetPassword_OfALockedDeveloper_ShowsAPasswordOnce_ThatSignsIn()
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;
        var (_, email, oldPassword) = await PortalSignInTests.MemberAsync(app, UserRole.Developer, tenant);
        await LockOutAsync(email);
        Assert.Contains("Locked", (await browser.GetAsync(Team)).Html);

        var reset = await ActAsync(browser, await MemberIdAsync(tenant, email), "reset-password");
        var shown = await browser.GetAsync(reset.Headers.Location!.OriginalString);
        var password = PasswordIn(shown.Html);

        Assert.Contains("Password reset", shown.Html);
        Assert.Contains("This password is no longer shown", (await browser.GetAsync($"{Team}/password")).Html);
        using var member = PortalClient.For(app);
        Assert.Equal(HttpStatusCode.OK, (await member.SignInAsync(email, oldPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignInAsync(email, password)).StatusCode);
        Assert.Single(await EventsAsync(tenant), e => e.Type == SecurityEventTypes.UserPasswordReset && e.Detail == email);
    }

    [Fact]
    public async Task Unlock_LetsALockedDeveloperSignInWithTheirOwnPassword()
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;
        var (_, email, password) = await PortalSignInTests.MemberAsync(app, UserRole.Developer, tenant);
        await LockOutAsync(email);
        var id = await MemberIdAsync(tenant, email);
        Assert.NotNull((await MembersAsync(tenant)).Single(m => m.Id == id).LockedUntil);

        var unlocked = await ActAsync(browser, id, "unlock");
        var notLocked = await browser.GetAsync($"{Team}/{id}/unlock");

        Assert.Equal(Team, unlocked.Headers.Location!.OriginalString);
        Assert.Contains($"{email} is not locked.", notLocked.Html);
        using var member = PortalClient.For(app);
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignInAsync(email, password)).StatusCode);
        Assert.Single(await EventsAsync(tenant), e => e.Type == SecurityEventTypes.UserUnlocked);
    }

    [Fact]
    public async Task AnotherAdmin_IsNeitherResetNorUnlockedFromThePortal_TheCliDoesIt()
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;
        var (_, email, password) = await PortalSignInTests.MemberAsync(app, UserRole.Admin, tenant);
        await LockOutAsync(email);
        var id = await MemberIdAsync(tenant, email);

        var reset = await ActAsync(browser, id, "reset-password");
        var unlock = await ActAsync(browser, id, "unlock");

        Assert.Contains("penguinmails users reset-password --email ADDRESS", await reset.Content.ReadAsStringAsync());
        Assert.Contains("penguinmails users reset-password --email ADDRESS", await unlock.Content.ReadAsStringAsync());
        Assert.DoesNotContain($"{id}/reset-password\"", (await browser.GetAsync(Team)).Html);
        using var member = PortalClient.For(app);
        Assert.Equal(HttpStatusCode.OK, (await member.SignInAsync(email, password)).StatusCode); // still locked
    }

    [Fact]
    public async Task Developer_SeesTheMembersWithoutControls_AndEveryTeamPostIs403()
    {
        var (admin, tenant, adminEmail) = await SignedInAsync();
        using var _a = admin;
        var (developer, _, email) = await SignedInAsync(UserRole.Developer, tenant);
        using var _d = developer;
        var adminId = await MemberIdAsync(tenant, adminEmail);

        var page = await developer.GetAsync(Team);
        var posts = new List<HttpResponseMessage>
        {
            await developer.PostFormAsync(Team, new() { ["Input.Email"] = "x@example.com", ["Input.Role"] = "Admin" }),
        };
        foreach (var verb in new[] { "role", "remove", "reset-password", "unlock" })
        {
            posts.Add(await developer.PostFormAsync(Team, new() { ["Role"] = "Developer" }, $"{Team}/{adminId}/{verb}"));
        }

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(adminEmail, page.Html);
        Assert.Contains(email, page.Html);
        Assert.Contains("Only an admin can change the team.", page.Html);
        Assert.DoesNotContain("<form method=\"post\" novalidate", page.Html);
        Assert.DoesNotContain("/remove\"", page.Html);
        Assert.All(posts, p =>
        {
            Assert.Equal(HttpStatusCode.Forbidden, p.StatusCode);
            Assert.Equal("text/html", p.Content.Headers.ContentType!.MediaType);
        });
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.GetAsync($"{Team}/{adminId}/remove")).Status);
        Assert.Equal(2, (await MembersAsync(tenant)).Count);
    }

    [Fact]
    public async Task AnotherTenantsMemberId_Is404_InTheUrlAndInAPost()
    {
        var (browser, _, _) = await SignedInAsync();
        using var _b = browser;
        var (other, email, _) = await PortalSignInTests.MemberAsync(app, UserRole.Developer);
        var id = await MemberIdAsync(other, email);

        var get = await browser.GetAsync($"{Team}/{id}/remove");
        var post = await browser.PostFormAsync(Team, [], $"{Team}/{id}/remove");

        Assert.Equal(HttpStatusCode.NotFound, get.Status);
        Assert.Contains("Page not found", get.Html);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Single(await MembersAsync(other));
    }

    [Fact]
    public async Task TeamPosts_WithoutAntiforgeryToken_AreRefused_AndChangeNothing()
    {
        var (browser, tenant, _) = await SignedInAsync();
        using var _b = browser;
        var (_, email, _) = await PortalSignInTests.MemberAsync(app, UserRole.Developer, tenant);
        var id = await MemberIdAsync(tenant, email);

        using var add = await browser.Http.PostAsync(Team, new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "forged@example.com" }));
        using var remove = await browser.Http.PostAsync($"{Team}/{id}/remove", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, add.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, remove.StatusCode);
        Assert.Equal(2, (await MembersAsync(tenant)).Count);
    }

    [Fact]
    public async Task Add_AfterTenMinutesWithoutPassword_AsksForIt_ThenReturnsWithWhatWasEntered()
    {
        var (tenant, admin, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(admin, password);
        var (_, email, _) = await PortalSignInTests.MemberAsync(app, UserRole.Developer, tenant);
        var id = await MemberIdAsync(tenant, email);
        var tokenPage = await browser.GetAsync(Team);
        Assert.Equal(HttpStatusCode.OK, tokenPage.Status);

        app.Advance(TimeSpan.FromMinutes(11));
        var stale = await AddAsync(browser, "late@example.com", "Admin");
        var confirmed = await browser.PostFormAsync(stale.Headers.Location!.OriginalString, new() { ["Password"] = password });
        var resumed = await browser.GetAsync(confirmed.Headers.Location!.OriginalString);
        app.Advance(TimeSpan.FromMinutes(11));
        var staleRole = await browser.PostFormAsync(Team, new() { ["Role"] = "Admin" }, $"{Team}/{id}/role");

        Assert.StartsWith("/account/confirm-password?returnUrl=", stale.Headers.Location.OriginalString);
        Assert.Contains("value=\"late@example.com\"", resumed.Html);
        Assert.Matches("value=\"Admin\" checked", resumed.Html);
        Assert.DoesNotContain(await MembersAsync(tenant), m => m.Email == "late@example.com");
        Assert.StartsWith("/account/confirm-password?returnUrl=" + Uri.EscapeDataString($"{Team}/{id}/role?role=Admin"),
            staleRole.Headers.Location!.OriginalString);
        Assert.Equal(UserRole.Developer, (await MembersAsync(tenant)).Single(m => m.Id == id).Role);
    }

    [GeneratedRegex("id=\"member-password\" class=\"[^\"]*\" readonly value=\"([^\"]+)\"")]
    private static partial Regex PasswordField();
}

public sealed class PortalTeamSqliteTests(SqliteFactory app) : PortalTeamTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalTeamPostgresTests(PostgresFactory app) : PortalTeamTests(app), IClassFixture<PostgresFactory>;
