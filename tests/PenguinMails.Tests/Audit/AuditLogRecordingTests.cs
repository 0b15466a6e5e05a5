using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Portal;
using PenguinMails.Users;

namespace PenguinMails.Tests.Audit;

/// <summary>
/// Each kind of audit-log entry appears once, read back through GET /api/v1/platform/audit-log, with who, from where
/// (address after the trusted proxy, user agent) and no secret in any field: key changes through the API and the portal,
/// sign-ins, wrong passwords, lockouts (in every tenant of the account), sudo, team changes, and a flood of IP-allow-list
/// refusals that leaves one entry per key and minute.
/// </summary>
public abstract partial class AuditLogRecordingTests(PenguinMailsFactory app)
{
    private const string Log = "/api/v1/platform/audit-log";
    private const string Keys = "/dashboard/settings/developers/keys";
    private const string Agent = "audit-test/1.0";

    private static HttpRequestMessage Request(HttpMethod method, string url, string key, string ip, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-Forwarded-For", ip);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.UserAgent.ParseAdd(Agent);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
        }

        return request;
    }

    private async Task<List<JsonNode>> EntriesAsync(string adminKey, string query)
    {
        var data = await (await app.Client(adminKey).GetAsync($"{Log}?limit=100&{query}")).DataAsync();
        return [.. data.AsArray().Select(n => n!)];
    }

    private static string Field(JsonNode entry, string name) => entry[name]?.GetValue<string>() ?? "";

    private static PortalClient Browser(PenguinMailsFactory app)
    {
        var browser = PortalClient.For(app);
        browser.Http.DefaultRequestHeaders.UserAgent.ParseAdd(Agent);
        return browser;
    }

    [Fact]
    public async Task KeyChangesThroughTheApi_EachLoggedOnce_WithActorIpAndAgent_NeverTheSecret()
    {
        var tenant = await app.CreateTenantAsync();
        var (admin, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        var adminId = ApiKeyFormat.KeyIdOf(admin);
        var client = app.Client();
        const string ip = "198.51.100.20";

        var created = await (await client.SendAsync(Request(HttpMethod.Post, "/api/v1/platform/api-keys", admin, ip,
            new { name = "Billing sync", permissions = new[] { "contacts:read" } }))).DataAsync(201);
        var id = created["api_key"]!["id"]!.GetValue<string>();
        var secret = created["key"]!.GetValue<string>();
        await (await client.SendAsync(Request(HttpMethod.Patch, $"/api/v1/platform/api-keys/{id}", admin, ip,
            new { permissions = new[] { "contacts:read", "emails:send" } }))).DataAsync();
        await (await client.SendAsync(Request(HttpMethod.Patch, $"/api/v1/platform/api-keys/{id}", admin, ip,
            new { allowed_ips = new[] { "203.0.113.0/24" }, name = "Billing sync (EU)" }))).DataAsync();
        var rotated = await (await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/platform/api-keys/{id}/rotate", admin, ip))).DataAsync(201);
        var newId = rotated["api_key"]!["id"]!.GetValue<string>();
        await (await client.SendAsync(Request(HttpMethod.Delete, $"/api/v1/platform/api-keys/{newId}", admin, ip))).DataAsync();

        var entries = await EntriesAsync(admin, $"type=api_key.created,api_key.updated&type=api_key.rotated&type=api_key.revoked&actor=api_key:{adminId}");
        var raw = string.Join("\n", entries.Select(e => e.ToJsonString()));

        Assert.Equal(["api_key.revoked", "api_key.rotated", "api_key.updated", "api_key.updated", "api_key.created"],
            entries.Select(e => Field(e, "type")));
        Assert.All(entries, e => Assert.Equal(($"api_key:{adminId}", ip, Agent), (Field(e, "actor"), Field(e, "ip"), Field(e, "user_agent"))));
        Assert.Contains("name: Billing sync (EU);", Field(entries[2], "detail"));
        Assert.Contains("changed: name, allowed_ips", Field(entries[2], "detail"));
        Assert.Contains("changed: permissions", Field(entries[3], "detail"));
        Assert.Contains("permissions: contacts:read", Field(entries[4], "detail"));
        Assert.Contains(ApiKeyFormat.KeyIdOf(rotated["key"]!.GetValue<string>()), Field(entries[1], "detail"));
        Assert.DoesNotContain(secret, raw);
        Assert.DoesNotContain(rotated["key"]!.GetValue<string>(), raw);
        Assert.DoesNotContain(admin, raw);
        Assert.DoesNotMatch(WholeKey(), raw);
    }

    [Fact]
    public async Task KeyChangesThroughThePortal_AndSudo_EachLoggedOnceAsTheUser()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        var (admin, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        using var browser = Browser(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(email, password)).StatusCode);
        var draft = new List<KeyValuePair<string, string>>
        {
            new("Draft.Name", "Portal key"), new("Draft.Environment", "live"), new("Draft.Expiry", "never"), new("Draft.IpMode", "all"),
            new("Draft.Permissions", "contacts:read"),
        };
        for (var step = 1; step <= 4; step++)
        {
            await browser.PostFormAsync($"{Keys}/new", [.. draft, new("Step", $"{step}"), new("go", step == 4 ? "create" : "next")]);
        }

        var shown = await browser.GetAsync($"{Keys}/created");
        var secret = WholeKey().Match(shown.Html).Value;
        var keyId = (await EntriesAsync(admin, $"type=api_key.created&actor=user:{email}")).Single()["api_key_id"]!.GetValue<string>();
        app.Advance(TimeSpan.FromMinutes(11)); // sudo mode runs out: the rotation asks for the password first
        var asked = await browser.GetAsync($"{Keys}/{keyId}/rotate");
        await browser.PostFormAsync(asked.Location!.OriginalString, new() { ["Password"] = "not-my-password" });
        await browser.PostFormAsync(asked.Location!.OriginalString, new() { ["Password"] = password });
        var rotated = await browser.PostFormAsync($"{Keys}/{keyId}/rotate", []);

        var entries = await EntriesAsync(admin, $"actor=user:{email}");
        var raw = string.Join("\n", entries.Select(e => e.ToJsonString()));

        Assert.StartsWith("/account/confirm-password", asked.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, rotated.StatusCode);
        Assert.Equal(["api_key.rotated", "auth.sudo_confirmed", "auth.sudo_failed", "api_key.created", "auth.signed_in"],
            entries.Select(e => Field(e, "type")));
        Assert.All(entries, e => Assert.Equal(("127.0.0.1", Agent), (Field(e, "ip"), Field(e, "user_agent"))));
        Assert.Contains("1 of 5", Field(entries[2], "detail"));
        Assert.Contains($"{Keys}/{keyId}/rotate", Field(entries[1], "detail"));
        Assert.StartsWith("pm_live_", secret);
        Assert.DoesNotContain(secret, raw);
        Assert.DoesNotContain(password, raw);
        Assert.DoesNotContain("not-my-password", raw);
    }

    [Fact]
    public async Task WrongPasswords_AndTheLockout_AreLoggedInEveryTenantOfTheAccount_OnceEach()
    {
        var (first, email, password) = await PortalSignInTests.MemberAsync(app, UserRole.Developer);
        var second = await app.CreateTenantAsync();
        await PortalSignInTests.MemberAsync(app, UserRole.Admin, second, email);
        var (firstAdmin, _) = await app.CreateKeyAsync(first, [Permissions.AdminFull]);
        var (secondAdmin, _) = await app.CreateKeyAsync(second, [Permissions.AdminFull]);
        using var browser = Browser(app);

        for (var i = 0; i < 5; i++)
        {
            await browser.SignInAsync(email, $"guess-{i}");
        }

        await browser.SignInAsync(email, "guess-while-locked");
        await browser.SignInAsync(email, password); // locked: refused, and not an entry
        await browser.SignInAsync($"nobody{Guid.NewGuid():N}@example.com", "anything");

        foreach (var admin in new[] { firstAdmin, secondAdmin })
        {
            var entries = await EntriesAsync(admin, "type=auth.sign_in_failed,auth.locked_out,auth.signed_in");
            var raw = string.Join("\n", entries.Select(e => e.ToJsonString()));
            // The lockout and the failure that caused it share an instant: their order between them is not asserted.
            Assert.Equal(["auth.locked_out", .. Enumerable.Repeat("auth.sign_in_failed", 5)], entries.Select(e => Field(e, "type")).Order());
            Assert.All(entries, e => Assert.Equal(($"user:{email}", "127.0.0.1", Agent), (Field(e, "actor"), Field(e, "ip"), Field(e, "user_agent"))));
            Assert.Equal(["wrong password (1 of 5)", "wrong password (2 of 5)", "wrong password (3 of 5)", "wrong password (4 of 5)", "wrong password (5 of 5)"],
                entries.Where(e => Field(e, "type") == "auth.sign_in_failed").Select(e => Field(e, "detail")).Order());
            Assert.Contains("locked after 5 wrong passwords or codes in a row, until 20", Field(entries.Single(e => Field(e, "type") == "auth.locked_out"), "detail"));
            Assert.DoesNotContain("guess", raw);
            Assert.DoesNotContain(password, raw);
        }
    }

    [Fact]
    public async Task TwoFactorSignIn_AWrongCodeThenTheRightOne_AreLoggedOnceEach()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        var (admin, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        using var setup = Browser(app);
        await setup.SignInAsync(email, password);
        var (key, _) = await PortalAccountSecurityTests.EnableTwoFactorAsync(setup, app.Clock);
        app.Advance(TimeSpan.FromSeconds(30)); // a new time step: the code that turned it on cannot be replayed
        using var browser = Browser(app);

        await browser.SignInAsync(email, password);
        await browser.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = Totp.Wrong(key, app.Clock.GetUtcNow()) });
        var code = Totp.Code(key, app.Clock.GetUtcNow());
        var verified = await browser.PostFormAsync("/account/sign-in/two-factor", new() { ["Code"] = code });

        var entries = await EntriesAsync(admin, $"actor=user:{email}");
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.Equal(["auth.signed_in", "auth.sign_in_failed", "account.two_factor_enabled", "auth.signed_in"], entries.Select(e => Field(e, "type")));
        Assert.Equal(["password and authenticator code", "right password, wrong authenticator code (1 of 5)", "", "password"],
            entries.Select(e => Field(e, "detail")));
        Assert.DoesNotContain(code, string.Join("\n", entries.Select(e => e.ToJsonString())));
        Assert.DoesNotContain(key, string.Join("\n", entries.Select(e => e.ToJsonString())));
    }

    [Fact]
    public async Task TeamChanges_AreLoggedOnceWithTheAdmin()
    {
        var (tenant, admin, password) = await PortalSignInTests.MemberAsync(app);
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        using var browser = Browser(app);
        await browser.SignInAsync(admin, password);
        var member = $"m{Guid.NewGuid():N}@example.com";

        await browser.PostFormAsync("/dashboard/settings/team", new() { ["Input.Email"] = member, ["Input.Role"] = "Developer" });
        var shown = await browser.GetAsync("/dashboard/settings/team/password");
        var memberId = await app.InTenantAsync(tenant, async sp =>
            (await sp.GetRequiredService<PenguinMails.Users.Team>().ListAsync(default)).Single(m => m.Email == member).Id);
        await browser.PostFormAsync($"/dashboard/settings/team/{memberId}/remove", []);

        var entries = await EntriesAsync(key, $"type=user.created,user.removed&actor=user:{admin}");
        var raw = string.Join("\n", entries.Select(e => e.ToJsonString()));

        Assert.Equal(["user.removed", "user.created"], entries.Select(e => Field(e, "type")));
        Assert.All(entries, e => Assert.Equal(($"user:{admin}", "127.0.0.1", Agent), (Field(e, "actor"), Field(e, "ip"), Field(e, "user_agent"))));
        Assert.Equal($"{member} (developer, new account)", Field(entries[1], "detail"));
        Assert.Contains(member, Field(entries[0], "detail"));
        var generated = MemberPassword().Match(shown.Html).Groups[1].Value;
        Assert.Equal(20, generated.Length);
        Assert.DoesNotContain(generated, raw);
    }

    [Fact]
    public async Task IpViolationFlood_LeavesOneEntryAtOnce_ThenOneAMinuteWithTheCount()
    {
        var tenant = await app.CreateTenantAsync();
        var (admin, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        var (key, keyId) = await app.CreateKeyAsync(tenant, ["contacts:read"], ["203.0.113.0/24"], name: "Office only");
        var client = app.Client();
        var denials = app.Services.GetRequiredService<PenguinMails.Audit.IpDenials>();
        void MinutePasses()
        {
            app.Advance(TimeSpan.FromSeconds(61));
            denials.Sweep(); // what the node's 5-second timer does; called here so the test need not wait for it
        }

        async Task RefusedAsync(int count, string ip)
        {
            for (var i = 0; i < count; i++)
            {
                await (await client.SendAsync(Request(HttpMethod.Get, $"/api/v1/contacts?page={i}", key, ip))).ErrorAsync(403, "IP_NOT_ALLOWED");
            }
        }

        async Task<List<JsonNode>> DeniedAsync(int expected)
        {
            await PenguinMailsFactory.Eventually(async () => (await EntriesAsync(admin, "type=auth.ip_denied")).Count >= expected,
                $"{expected} auth.ip_denied entries are stored");
            return await EntriesAsync(admin, "type=auth.ip_denied");
        }

        await RefusedAsync(150, "198.51.100.9");
        var first = await DeniedAsync(1);
        MinutePasses();
        var second = await DeniedAsync(2);
        await RefusedAsync(30, "198.51.100.10");
        MinutePasses();
        var third = await DeniedAsync(3);
        MinutePasses(); // a quiet minute ends the burst
        await RefusedAsync(1, "198.51.100.11");
        var fourth = await DeniedAsync(4);

        Assert.Single(first);
        Assert.Equal(2, second.Count);
        Assert.Equal(3, third.Count);
        Assert.Equal(4, fourth.Count);
        Assert.All(fourth, e => Assert.Equal((keyId.ToString(), $"api_key:{ApiKeyFormat.KeyIdOf(key)}", Agent),
            (Field(e, "api_key_id"), Field(e, "actor"), Field(e, "user_agent"))));
        Assert.Equal("GET /api/v1/contacts refused: 198.51.100.9 is not in the key's IP allow-list", Field(first[0], "detail"));
        Assert.StartsWith("149 more requests refused since", Field(second[0], "detail"));
        Assert.StartsWith("30 more requests refused since", Field(third[0], "detail"));
        Assert.Contains("from 198.51.100.10; the last: GET /api/v1/contacts", Field(third[0], "detail"));
        Assert.Equal("198.51.100.11", Field(fourth[0], "ip"));
        Assert.DoesNotContain(key, string.Join("\n", fourth.Select(e => e.ToJsonString())));
        Assert.DoesNotContain("page=", string.Join("\n", fourth.Select(e => e.ToJsonString())));
    }

    /// <summary>Text cut to fit (here a request path, at 300 characters) is never cut inside a character: half an emoji is
    /// no text, and PostgreSQL would refuse the whole write (TextClip).</summary>
    [Fact]
    public async Task APathCutToFit_InsideAnEmoji_IsStoredWithWholeCharacters()
    {
        var tenant = await app.CreateTenantAsync();
        var (admin, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        var (key, _) = await app.CreateKeyAsync(tenant, ["campaigns:read"], ["203.0.113.0/24"], name: "Office only");
        const string prefix = "/api/v1/campaigns/";
        var path = prefix + new string('a', 299 - prefix.Length) + "\U0001F427tail"; // the penguin's two halves at 299 and 300

        await (await app.Client().SendAsync(Request(HttpMethod.Get, path, key, "198.51.100.20"))).ErrorAsync(403, "IP_NOT_ALLOWED");

        await PenguinMailsFactory.Eventually(async () => (await EntriesAsync(admin, "type=auth.ip_denied")).Count >= 1, "the refusal is stored");
        var detail = Field(Assert.Single(await EntriesAsync(admin, "type=auth.ip_denied")), "detail");
        Assert.StartsWith($"GET {prefix}{new string('a', 299 - prefix.Length)}… refused", detail);
        Assert.DoesNotContain(detail, char.IsSurrogate);
    }

    [GeneratedRegex("pm_(live|test)_[0-9A-Za-z]{64}")]
    private static partial Regex WholeKey();

    [GeneratedRegex("id=\"member-password\" class=\"[^\"]*\" readonly value=\"([^\"]+)\"")]
    private static partial Regex MemberPassword();
}

public sealed class AuditLogRecordingSqliteTests(SqliteFactory app) : AuditLogRecordingTests(app), IClassFixture<SqliteFactory>;

public sealed class AuditLogRecordingPostgresTests(PostgresFactory app) : AuditLogRecordingTests(app), IClassFixture<PostgresFactory>;
