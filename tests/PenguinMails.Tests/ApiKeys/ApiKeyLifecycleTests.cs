using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.ApiKeys;

public abstract class ApiKeyLifecycleTests(PenguinMailsFactory app)
{
    private const string Keys = "/api/v1/platform/api-keys";

    [Fact]
    public async Task Create_ReturnsWholeKeyOnce_NeverAgain()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var client = app.Client(admin);

        var created = await (await client.PostJsonAsync(Keys, new { name = "Production App", permissions = new[] { "emails:send" } })).DataAsync(201);
        var secret = created["key"]!.GetValue<string>();
        var id = created["api_key"]!["id"]!.GetValue<string>();

        Assert.Matches("^pm_live_[0-9A-Za-z]{64}$", secret);
        Assert.True(ApiKeyFormat.IsWellFormed(secret));
        Assert.Equal(secret[..11] + "..." + secret[^3..], created["api_key"]!["masked_key"]!.GetValue<string>());
        var read = await (await client.GetAsync($"{Keys}/{id}")).Content.ReadAsStringAsync();
        var list = await (await client.GetAsync(Keys)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret[ApiKeyFormat.KeyIdLength..], read);
        Assert.DoesNotContain(secret[ApiKeyFormat.KeyIdLength..], list);
        Assert.Contains(secret[..ApiKeyFormat.KeyIdLength], read);
    }

    [Fact]
    public async Task Secrets_NeverReachTheLog()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var created = await (await app.Client(admin).PostJsonAsync(Keys, new { name = "logged?", preset = "read_only" })).DataAsync(201);
        var secret = created["key"]!.GetValue<string>();
        await app.Client(secret).GetAsync("/api/v1/me");
        await app.Client(secret + "x").GetAsync("/api/v1/me");
        await app.Client().GetAsync($"/api/v1/me?api_key={secret}");

        var logged = string.Join("\n", app.Logs.Lines.Select(l => l.Message + l.Exception + string.Join(' ', l.Scopes)));
        Assert.NotEmpty(app.Logs.Lines);
        Assert.DoesNotContain(secret[ApiKeyFormat.KeyIdLength..], logged);
        Assert.DoesNotContain(admin[ApiKeyFormat.KeyIdLength..], logged);
    }

    [Fact]
    public async Task Create_NewKeyAuthenticates_WithItsPermissionsOnly()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var created = await (await app.Client(admin).PostJsonAsync(Keys, new { name = "sender", preset = "email_sending" })).DataAsync(201);
        var key = created["key"]!.GetValue<string>();

        var me = await (await app.Client(key).GetAsync("/api/v1/me")).DataAsync();
        Assert.Equal(["emails:send", "emails:send_bulk"], me["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
        var denied = await (await app.Client(key).GetAsync(Keys)).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        Assert.Equal("admin:api_keys", denied["details"]![0]!["permission"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_TestEnvironment_GivesTestPrefix()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var created = await (await app.Client(admin).PostJsonAsync(Keys,
            new { name = "staging", environment = "test", permissions = new[] { "campaigns:read" } })).DataAsync(201);
        Assert.StartsWith("pm_test_", created["key"]!.GetValue<string>());
        Assert.Equal("test", created["api_key"]!["environment"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ExpiresInDays_SetsExpiry_AndKeyStopsThen()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var created = await (await app.Client(admin).PostJsonAsync(Keys,
            new { name = "short", permissions = new[] { "campaigns:read" }, expires_in_days = 30 })).DataAsync(201);
        var key = created["key"]!.GetValue<string>();
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddDays(30), created["api_key"]!["expires_at"]!.GetValue<DateTime>().ToUniversalTime());

        app.Advance(TimeSpan.FromDays(30));

        var error = await (await app.Client(key).GetAsync("/api/v1/me")).ErrorAsync(401, "API_KEY_EXPIRED");
        Assert.Contains("expired", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_CannotGrantPermissionsTheCallerLacks()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var error = await (await app.Client(admin).PostJsonAsync(Keys, new { name = "root", permissions = new[] { "admin:full" } }))
            .ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        Assert.Equal("admin:full", error["details"]![0]!["permission"]!.GetValue<string>());
    }

    [Fact]
    public async Task EditOrRotate_OfAKeyHoldingAdminPermissionsTheCallerLacks_IsRefused_NamingWhatWasTried()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (_, root) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull, "emails:send"]);

        var edit = await (await app.Client(admin).PatchJsonAsync($"{Keys}/{root}", new { permissions = new[] { "emails:send" } }))
            .ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        Assert.Equal("A key that holds admin permissions can be edited only by a key that holds them too.", edit["message"]!.GetValue<string>());
        Assert.Equal("admin:full", edit["details"]![0]!["permission"]!.GetValue<string>());

        var rotate = await (await app.Client(admin).PostAsync($"{Keys}/{root}/rotate", null)).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        Assert.Contains("rotated only by a key that holds them", rotate["message"]!.GetValue<string>());

        var (_, plain) = await app.CreateKeyAsync(tenant, ["emails:send"]);
        var grant = await (await app.Client(admin).PatchJsonAsync($"{Keys}/{plain}", new { permissions = new[] { "admin:full" } }))
            .ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        Assert.Equal("A key can grant admin permissions only if it holds them itself.", grant["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_InvalidBody_ListsEveryFailingField()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var error = await (await app.Client(admin).PostJsonAsync(Keys, new
        {
            name = "",
            permissions = new[] { "emails:teleport" },
            allowed_ips = new[] { "203.0.113.7/24", "not-an-ip" },
            expires_in_days = 0,
        })).ErrorAsync(400, "VALIDATION_ERROR");
        var fields = error["details"]!.AsArray().Select(d => d!["field"]?.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "name", "permissions", "allowed_ips", "expires_in_days" }, fields);
        Assert.Contains(error["details"]!.AsArray(), d => d!["message"]!.GetValue<string>().Contains("203.0.113.0/24"));
    }

    [Fact]
    public async Task Revoke_TakesEffectImmediately_OnThisNode()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (key, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);
        Assert.Equal(200, (int)(await app.Client(key).GetAsync("/api/v1/me")).StatusCode); // now cached

        await (await app.Client(admin).DeleteAsync($"{Keys}/{id}")).DataAsync();

        var error = await (await app.Client(key).GetAsync("/api/v1/me")).ErrorAsync(401, "API_KEY_REVOKED");
        Assert.Equal("This key has already been revoked and cannot be used.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoke_Twice_AnswersAlreadyRevoked()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (_, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);
        await (await app.Client(admin).DeleteAsync($"{Keys}/{id}")).DataAsync();

        var error = await (await app.Client(admin).DeleteAsync($"{Keys}/{id}")).ErrorAsync(409, "RESOURCE_CONFLICT");
        Assert.Equal("This key has already been revoked and cannot be used.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rotate_WithinGracePeriod_OldKeyStillWorks_ThenRefusedAtExactly24h()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (oldKey, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);

        var rotated = await (await app.Client(admin).PostAsync($"{Keys}/{id}/rotate", null)).DataAsync(201);
        var newKey = rotated["key"]!.GetValue<string>();
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(id.ToString(), rotated["api_key"]!["rotated_from"]!.GetValue<string>());
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddHours(24), rotated["previous_key"]!["expires_at"]!.GetValue<DateTime>().ToUniversalTime());

        app.Advance(TimeSpan.FromHours(24) - TimeSpan.FromTicks(1));
        Assert.Equal(200, (int)(await app.Client(oldKey).GetAsync("/api/v1/me")).StatusCode);

        app.Advance(TimeSpan.FromTicks(1));
        await (await app.Client(oldKey).GetAsync("/api/v1/me")).ErrorAsync(401, "API_KEY_EXPIRED");
        Assert.Equal(200, (int)(await app.Client(newKey).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Rotate_RevokedKey_Conflicts()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (_, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);
        await app.Client(admin).DeleteAsync($"{Keys}/{id}");

        await (await app.Client(admin).PostAsync($"{Keys}/{id}/rotate", null)).ErrorAsync(409, "RESOURCE_CONFLICT");
    }

    [Fact]
    public async Task Update_ChangesPermissions_EffectiveOnNextRequest()
    {
        var (tenant, _, _) = await app.CreateTenantWithAdminKeyAsync();
        var (root, _) = await app.CreateKeyAsync(tenant, ["admin:full"]);
        var (key, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);
        await (await app.Client(key).GetAsync(Keys)).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");

        var updated = await (await app.Client(root).PatchJsonAsync($"{Keys}/{id}",
            new { name = "renamed", permissions = new[] { "admin:api_keys" } })).DataAsync();

        Assert.Equal("renamed", updated["name"]!.GetValue<string>());
        Assert.Equal(200, (int)(await app.Client(key).GetAsync(Keys)).StatusCode);
    }

    [Fact]
    public async Task Get_ByKeyIdentifier_FindsTheKey()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (key, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);

        var found = await (await app.Client(admin).GetAsync($"{Keys}/{key[..ApiKeyFormat.KeyIdLength]}")).DataAsync();

        Assert.Equal(id.ToString(), found["id"]!.GetValue<string>());
        Assert.Equal("active", found["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_UnknownId_IsNotFound()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        await (await app.Client(admin).GetAsync($"{Keys}/{Guid.NewGuid()}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await app.Client(admin).GetAsync($"{Keys}/nonsense")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task Usage_IsWrittenBehind_NotPerRequest()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (key, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);
        for (var i = 0; i < 3; i++)
        {
            await app.Client(key).GetAsync("/api/v1/me");
        }

        await app.Client(key).GetAsync(Keys); // 403: counts as an error
        var before = await (await app.Client(admin).GetAsync($"{Keys}/{id}")).DataAsync();
        Assert.Null(before["last_used_at"]);

        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Advance(TimeSpan.FromSeconds(5));
            var after = await (await app.Client(admin).GetAsync($"{Keys}/{id}")).DataAsync();
            return after["usage"]!["total_requests"]!.GetValue<long>() == 4;
        }, "usage is flushed");
        var flushed = await (await app.Client(admin).GetAsync($"{Keys}/{id}")).DataAsync();
        Assert.NotNull(flushed["last_used_at"]);
        Assert.Equal(4, flushed["usage"]!["last_24h"]!.GetValue<long>());
        Assert.Equal(0.25, flushed["usage"]!["error_rate"]!.GetValue<double>());
    }
}

public sealed class ApiKeyLifecycleSqliteTests(SqliteFactory app) : ApiKeyLifecycleTests(app), IClassFixture<SqliteFactory>;

public sealed class ApiKeyLifecyclePostgresTests(PostgresFactory app) : ApiKeyLifecycleTests(app), IClassFixture<PostgresFactory>;
