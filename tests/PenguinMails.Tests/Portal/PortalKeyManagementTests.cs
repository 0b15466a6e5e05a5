using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.ApiUsage;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The rest of key management on /dashboard/settings/developers/keys: Edit Permissions (sudo, the admin rule, the
/// 403 that follows), paging through 500 keys, the usage figures and View Usage, the expiry warning on both pages,
/// and every key URL refusing another tenant's key and a form without its antiforgery token.
/// </summary>
public abstract partial class PortalKeyManagementTests(PenguinMailsFactory app)
{
    private const string Keys = "/dashboard/settings/developers/keys";
    private const string Overview = "/dashboard/settings/developers";

    private async Task<(PortalClient Browser, Guid Tenant, string Email, string Password)> SignedInAsync(UserRole role = UserRole.Admin)
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app, role);
        var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        return (browser, tenant, email, password);
    }

    private async Task<HttpResponseMessage> CallAsync(string key, string path)
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await client.GetAsync(path);
    }

    private Task<T> InDbAsync<T>(Guid tenant, Func<AppDb, Task<T>> work) =>
        app.InTenantAsync(tenant, sp => work(sp.GetRequiredService<AppDb>()));

    private static List<KeyValuePair<string, string>> Edit(string go, string ipMode, string ips, params string[] permissions) =>
    [
        new("go", go), new("Draft.IpMode", ipMode), new("Draft.Ips", ips),
        .. permissions.Select(p => new KeyValuePair<string, string>("Draft.Permissions", p)),
    ];

    [Fact]
    public async Task EditPermissions_RemovingAScope_TheNextCallNeedingItIs403WithTheSpecsMessage_AndAnEventIsWritten()
    {
        var (browser, tenant, email, _) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;
        var (key, id) = await app.CreateKeyAsync(tenant, ["contacts:read", "emails:send"], name: "Integration");
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(key, "/api/v1/contacts")).StatusCode);

        var form = await browser.GetAsync($"{Keys}/{id}/permissions");
        var saved = await browser.PostFormAsync($"{Keys}/{id}/permissions", Edit("save", "all", "", "emails:send"));
        var refused = await CallAsync(key, "/api/v1/contacts");
        var list = await browser.GetAsync(Keys);

        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("Edit Permissions", form.Html);
        Assert.Matches("value=\"contacts:read\" checked", form.Html);
        Assert.Contains("Read Only", form.Html); // the presets of step 2
        Assert.Contains("Restrict to IPs", form.Html);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(Keys, saved.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Insufficient permissions. Update key permissions in settings.", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(key, "/api/v1/me")).StatusCode);
        Assert.Contains("The permissions of “Integration” were saved", WebUtility.HtmlDecode(list.Html));
        var events = await InDbAsync(tenant, db => db.SecurityEvents.Where(e => e.ApiKeyId == id && e.Type == "api_key.updated").ToListAsync());
        var updated = Assert.Single(events);
        Assert.Equal($"user:{email}", updated.Actor);
        Assert.Contains("permissions: emails:send;", updated.Detail);
    }

    [Fact]
    public async Task EditPermissions_PresetsFillTheBoxes_IpRestrictionsAreCheckedAndSaved()
    {
        var (browser, tenant, _, _) = await SignedInAsync();
        using var _b = browser;
        var (_, id) = await app.CreateKeyAsync(tenant, ["emails:send"]);
        var path = $"{Keys}/{id}/permissions";

        var preset = await browser.PostFormAsync(path, Edit("preset:read_only", "all", "", "emails:send"));
        var badIp = await browser.PostFormAsync(path, Edit("save", "restrict", "203.0.113.0/24, 300.1.1.1", "contacts:read"));
        var empty = await browser.PostFormAsync(path, Edit("save", "all", ""));
        var saved = await browser.PostFormAsync(path, Edit("save", "restrict", "203.0.113.0/24, 2001:db8::/32", "contacts:read"));
        var stored = await InDbAsync(tenant, db => db.ApiKeys.SingleAsync(k => k.Id == id));

        var presetHtml = await preset.Content.ReadAsStringAsync();
        Assert.Matches("value=\"contacts:read\" checked", presetHtml);
        Assert.DoesNotMatch("value=\"emails:send\" checked", presetHtml);
        var badHtml = await badIp.Content.ReadAsStringAsync();
        Assert.Contains("There is a problem", badHtml);
        Assert.Contains("300.1.1.1", badHtml);
        Assert.Contains("Choose at least one permission, or a preset.", await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["contacts:read"], stored.Permissions);
        Assert.Equal(["203.0.113.0/24", "2001:db8::/32"], stored.AllowedIps);
    }

    [Fact]
    public async Task EditPermissions_ADeveloperCannotGrantAdmin_NorEditAKeyHoldingIt()
    {
        var (browser, tenant, _, _) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;
        var (_, plain) = await app.CreateKeyAsync(tenant, ["contacts:read"]);
        var (adminKey, admin) = await app.CreateKeyAsync(tenant, ["admin:api_keys"]);

        var grant = await browser.PostFormAsync($"{Keys}/{plain}/permissions", Edit("save", "all", "", "contacts:read", "admin:full"));
        var adminForm = await browser.GetAsync($"{Keys}/{admin}/permissions");
        var adminPost = await browser.PostFormAsync("/account/password", Edit("save", "all", "", "contacts:read"), $"{Keys}/{admin}/permissions");

        Assert.Contains("Only admins can grant Full Account Access", await grant.Content.ReadAsStringAsync());
        Assert.Contains("only an admin of this tenant can change them", adminForm.Html);
        Assert.DoesNotContain("Save Permissions", adminForm.Html);
        Assert.Equal(HttpStatusCode.OK, adminPost.StatusCode);
        Assert.Equal(["contacts:read"], await InDbAsync(tenant, db => db.ApiKeys.Where(k => k.Id == plain).Select(k => k.Permissions).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(adminKey, "/api/v1/platform/api-keys")).StatusCode);
    }

    [Fact]
    public async Task EditPermissions_WhenSudoRanOut_AsksForThePassword_ReturnsToTheFormAsEntered_ThenSaves()
    {
        var (browser, tenant, _, password) = await SignedInAsync();
        using var _b = browser;
        var (_, id) = await app.CreateKeyAsync(tenant, ["contacts:read", "emails:send"]);
        var path = $"{Keys}/{id}/permissions";

        app.Advance(TimeSpan.FromMinutes(11));
        var stale = await browser.PostFormAsync("/account/password", Edit("save", "restrict", "198.51.100.5", "analytics:read"), path);
        var prompt = stale.Headers.Location!.OriginalString;
        var confirmed = await browser.PostFormAsync(prompt, new() { ["Password"] = password });
        var back = confirmed.Headers.Location!.OriginalString;
        var resumed = await browser.GetAsync(back);
        var unchanged = await InDbAsync(tenant, db => db.ApiKeys.SingleAsync(k => k.Id == id));
        var saved = await browser.PostFormAsync(back, Edit("save", "restrict", "198.51.100.5", "analytics:read"), path);

        Assert.StartsWith("/account/confirm-password?returnUrl=", prompt);
        Assert.Equal($"{path}?resume=true", back);
        Assert.Matches("value=\"analytics:read\" checked", resumed.Html);
        Assert.DoesNotMatch("value=\"contacts:read\" checked", resumed.Html);
        Assert.Contains(">198.51.100.5</textarea>", resumed.Html);
        Assert.Equal(["contacts:read", "emails:send"], unchanged.Permissions);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["analytics:read"], await InDbAsync(tenant, db => db.ApiKeys.Where(k => k.Id == id).Select(k => k.Permissions).SingleAsync()));
    }

    [Fact]
    public async Task RevokedAndExpiredKeys_SayWhy_HaveTheirBadges_AndCannotBeEdited()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        var (_, revoked) = await app.CreateKeyAsync(tenant, ["contacts:read"], name: "Gone key");
        var (_, expired) = await app.CreateKeyAsync(tenant, ["contacts:read"], expiresInDays: 1, name: "Old key");
        app.Advance(TimeSpan.FromDays(2));
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"{Keys}/{revoked}/revoke", [])).StatusCode);

        var again = await browser.PostFormAsync($"{Keys}/{revoked}/revoke", []);
        var edit = await browser.GetAsync($"{Keys}/{revoked}/permissions");
        var editExpired = await browser.GetAsync($"{Keys}/{expired}/permissions");
        var list = await browser.GetAsync($"{Keys}?sort=name");

        Assert.Contains("This key has already been revoked and cannot be used.", await again.Content.ReadAsStringAsync());
        Assert.Contains("This key has already been revoked and cannot be used.", edit.Html);
        Assert.Contains("This key has expired and cannot be edited", editExpired.Html);
        Assert.Matches("Gone key</h2>\\s*<span class=\"badge text-bg-danger\">Revoked</span>", list.Html);
        Assert.Matches("Old key</h2>\\s*<span class=\"badge text-bg-secondary\">Expired</span>", list.Html);
        Assert.DoesNotContain($"{Keys}/{expired}/permissions", list.Html);
    }

    [Fact]
    public async Task Card_ShowsTotalLast24HoursAndErrorRate_AndViewUsageLinksToTheKeysUsage()
    {
        var (browser, tenant, _, _) = await SignedInAsync();
        using var _b = browser;
        var (_, id) = await app.CreateKeyAsync(tenant, ["contacts:read"], name: "Counted");
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var hour = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        // The request log's roll-ups are the source: 150 (3 errors) this hour, 84 at the edge of the last 24 hours,
        // 12,111 (59 errors) before it, and requests with a wrong secret, which are not the key's own.
        IEnumerable<ApiRequest> Requests(DateTime at, int count, int errors, bool authenticated = true) =>
            Enumerable.Range(0, count).Select(i => new ApiRequest
            {
                TenantId = tenant, ApiKeyId = id, Authenticated = authenticated, Environment = "live",
                Endpoint = "GET /api/v1/contacts", Status = i < errors ? 404 : 200, DurationMs = 3, OccurredAt = at, RequestId = $"r{i}",
            });
        var rows = Requests(hour, 150, 3).Concat(Requests(hour.AddHours(-23), 84, 0))
            .Concat(Requests(hour.AddHours(-30), 12_111, 59)).Concat(Requests(hour, 40, 40, authenticated: false)).ToList();
        await InDbAsync(tenant, async db =>
        {
            await RollupWriter.AddAsync(db, RollupWriter.Aggregate(rows), default);
            return rows.Count;
        });

        var card = await browser.GetAsync($"{Keys}/{id}");
        var usage = await browser.GetAsync($"{Overview}/usage?key_id={id}");

        Assert.Equal(HttpStatusCode.OK, card.Status);
        Assert.Matches("Total Requests</dt>\\s*<dd class=\"col-7\">12,345</dd>", card.Html);
        Assert.Matches("Last 24 Hours</dt>\\s*<dd class=\"col-7\">234 requests</dd>", card.Html);
        Assert.Matches("Error Rate</dt>\\s*<dd class=\"col-7\">0.5%</dd>", card.Html);
        Assert.Contains($"href=\"{Overview}/usage?key_id={id}\"", card.Html);
        Assert.Equal(HttpStatusCode.OK, usage.Status);
    }

    [Fact]
    public async Task ExpiryBanner_NamesKeysEndingWithin7Days_OnBothPages_AndRotatingGivesAFullTerm()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        var created = app.Clock.GetUtcNow().UtcDateTime;
        var (_, soon) = await app.CreateKeyAsync(tenant, ["contacts:read"], expiresInDays: 30, name: "Ending soon");
        await app.CreateKeyAsync(tenant, ["contacts:read"], expiresInDays: 40, name: "Ending later");
        app.Advance(TimeSpan.FromDays(27));
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);

        var keys = await browser.GetAsync(Keys);
        var overview = await browser.GetAsync(Overview);
        var rotated = await browser.PostFormAsync($"{Keys}/{soon}/rotate", []);
        var shown = await browser.GetAsync(rotated.Headers.Location!.OriginalString);
        var after = await browser.GetAsync(Keys);
        var renewed = await InDbAsync(tenant, db => db.ApiKeys.SingleAsync(k => k.RotatedFromId == soon));

        foreach (var html in new[] { keys.Html, overview.Html })
        {
            Assert.Contains("An API key expires within 7 days", html);
            Assert.Contains("<strong>Ending soon</strong>", html);
            Assert.Contains(created.AddDays(30).ToString("MMM d, yyyy 'at' HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC</time>", html);
            Assert.Contains("(in 3 days)", html);
            Assert.Contains($"href=\"{Keys}/{soon}/rotate\"", html);
            Assert.DoesNotContain("<strong>Ending later</strong>", html);
        }

        Assert.Contains("The old key keeps working until", shown.Html);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddDays(30), renewed.ExpiresAt);
        Assert.DoesNotContain("expires within 7 days", after.Html);
    }

    [Fact]
    public async Task KeysPage_With500Keys_ShowsThemIn25s_WithWorkingPageLinksThatKeepTheFilters()
    {
        var (browser, tenant, _, _) = await SignedInAsync();
        using var _b = browser;
        await Add500KeysAsync(tenant);

        var clock = Stopwatch.StartNew();
        var first = await browser.GetAsync(Keys);
        var elapsed = clock.Elapsed;
        var next = await browser.GetAsync(WebUtility.HtmlDecode(NextLink().Match(first.Html).Groups[1].Value));
        var last = await browser.GetAsync($"{Keys}?status=active&sort=name&page=20");
        var beyond = await browser.GetAsync($"{Keys}?sort=name&page=2147483647");
        var search = await browser.GetAsync($"{Keys}?search=Key+4&sort=name");
        var searchNext = await browser.GetAsync(WebUtility.HtmlDecode(NextLink().Match(search.Html).Groups[1].Value));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the first page of 500 keys took {elapsed}");
        Assert.Contains("Showing 1–25 of 500 keys", first.Html);
        Assert.Equal(25, CardCount(first.Html));
        Assert.Contains("Page 1 of 20", first.Html);
        Assert.Contains("<span class=\"page-link\" aria-disabled=\"true\">Previous</span>", first.Html);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Contains("Showing 26–50 of 500 keys", next.Html);
        Assert.Contains("rel=\"prev\"", next.Html);
        Assert.Contains("Showing 476–500 of 500 keys", last.Html);
        Assert.Contains("Key 500</h2>", last.Html);
        Assert.Contains("<span class=\"page-link\" aria-disabled=\"true\">Next</span>", last.Html);
        Assert.Equal(HttpStatusCode.OK, beyond.Status);
        Assert.Contains("Page 20 of 20", beyond.Html);
        Assert.Contains("Showing 1–25 of 100 keys", search.Html); // Key 400 … Key 499
        Assert.Contains("Showing 26–50 of 100 keys", searchNext.Html);
        Assert.Contains("value=\"Key 4\"", searchNext.Html);
        Assert.Contains("Key 425</h2>", searchNext.Html);
        Assert.DoesNotContain("Key 424</h2>", searchNext.Html);
    }

    [Fact]
    public async Task Overview_With500Keys_ShowsTheFirstRowsOfTheCompactTable_AndManageAllKeys()
    {
        var (browser, tenant, _, _) = await SignedInAsync();
        using var _b = browser;
        await Add500KeysAsync(tenant);

        var overview = await browser.GetAsync(Overview);

        Assert.Equal(HttpStatusCode.OK, overview.Status);
        Assert.Equal(10, Regex.Count(overview.Html, "<td class=\"text-break\">Key \\d{3}</td>"));
        Assert.Contains("Key 500</td>", overview.Html); // newest first
        Assert.Matches($"href=\"{Keys}\">Manage All Keys</a>", overview.Html);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(Keys)).Status);
        // The spec's Actions column: View (the key's card) and Revoke for each row, and a copy of the identifier.
        Assert.Equal(10, Regex.Count(overview.Html, $"href=\"{Keys}/[0-9a-f-]{{36}}\" aria-label=\"View Key \\d{{3}}\">View</a>"));
        Assert.Equal(10, Regex.Count(overview.Html, $"href=\"{Keys}/[0-9a-f-]{{36}}/revoke\" aria-label=\"Revoke Key \\d{{3}}\">Revoke</a>"));
        Assert.Equal(10, Regex.Count(overview.Html, "aria-label=\"Copy ID of Key \\d{3}\" hidden>Copy ID</button>"));
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/permissions")]
    [InlineData("POST", "/permissions")]
    [InlineData("GET", "/rotate")]
    [InlineData("POST", "/rotate")]
    [InlineData("GET", "/revoke")]
    [InlineData("POST", "/revoke")]
    public async Task KeyUrls_WithAnotherTenantsKey_AreAnHtml404_AndChangeNothing(string method, string action)
    {
        var (browser, _, _, _) = await SignedInAsync();
        using var _b = browser;
        var other = await app.CreateTenantAsync();
        var (key, id) = await app.CreateKeyAsync(other, ["contacts:read"], name: "Not yours");
        var path = $"{Keys}/{id}{action}";

        var (status, html) = method == "GET"
            ? await browser.GetAsync(path) is var get ? (get.Status, get.Html) : default
            : await browser.PostFormAsync(Keys, Edit("save", "all", "", "emails:send"), path) is var post
                ? (post.StatusCode, await post.Content.ReadAsStringAsync()) : default;

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("<h1 class=\"h3\">Page not found</h1>", html);
        Assert.DoesNotContain("Not yours", html);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(key, "/api/v1/contacts")).StatusCode);
    }

    [Theory]
    [InlineData("/{id}/permissions")]
    [InlineData("/{id}/rotate")]
    [InlineData("/{id}/revoke")]
    [InlineData("/new")]
    public async Task KeyForms_WithoutTheirAntiforgeryToken_AreRefused_AndChangeNothing(string action)
    {
        var (browser, tenant, _, _) = await SignedInAsync();
        using var _b = browser;
        var (key, id) = await app.CreateKeyAsync(tenant, ["contacts:read"]);
        await browser.GetAsync(Keys); // the antiforgery cookie is there; only the form field is missing

        using var post = await browser.Http.PostAsync(Keys + action.Replace("{id}", id.ToString()), new FormUrlEncodedContent(
        [
            new("go", "save"), new("Step", "4"), new("Draft.Name", "Forged"), new("Draft.Permissions", "emails:send"), new("Draft.IpMode", "all"),
        ]));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("The form could not be accepted", await post.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(key, "/api/v1/contacts")).StatusCode);
        Assert.Equal(1, await InDbAsync(tenant, db => db.ApiKeys.CountAsync()));
    }

    /// <summary>Key 001 … Key 500, created a minute apart (Key 500 the newest), the way the issuer stores them.</summary>
    private Task<int> Add500KeysAsync(Guid tenant) => InDbAsync(tenant, db =>
    {
        var start = app.Clock.GetUtcNow().UtcDateTime.AddDays(-1);
        for (var i = 1; i <= 500; i++)
        {
            var secret = ApiKeyFormat.Generate(KeyEnvironment.Live);
            db.ApiKeys.Add(new ApiKey
            {
                Name = $"Key {i:000}", KeyId = ApiKeyFormat.KeyIdOf(secret), SecretHash = new byte[32], LastCharacters = secret[^3..],
                CreatedBy = "test", CreatedAt = start.AddMinutes(i), UpdatedAt = start.AddMinutes(i), Permissions = ["contacts:read"],
            });
        }

        return db.SaveChangesAsync();
    });

    private static int CardCount(string html) => Regex.Count(html, "<article class=\"card h-100\"");

    [GeneratedRegex("<a class=\"page-link\" href=\"([^\"]+)\" rel=\"next\">Next</a>")]
    private static partial Regex NextLink();
}

public sealed class PortalKeyManagementSqliteTests(SqliteFactory app) : PortalKeyManagementTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalKeyManagementPostgresTests(PostgresFactory app) : PortalKeyManagementTests(app), IClassFixture<PostgresFactory>;
