using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.ApiKeys;

public abstract class ApiKeyListTests(PenguinMailsFactory app)
{
    private const string Keys = "/api/v1/platform/api-keys";

    private async Task<(HttpClient Client, Guid Tenant)> TenantWithKeysAsync(params string[] names)
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        foreach (var name in names)
        {
            app.Advance(TimeSpan.FromSeconds(1));
            await app.CreateKeyAsync(tenant, ["campaigns:read"], name: name);
        }

        return (app.Client(admin), tenant);
    }

    private static List<string> Names(System.Text.Json.Nodes.JsonNode data) =>
        data.AsArray().Select(k => k!["name"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Search_MatchesNameCaseInsensitively()
    {
        var (client, _) = await TenantWithKeysAsync("Production App", "Staging Server", "production worker");
        var found = Names(await (await client.GetAsync($"{Keys}?search=PRODUCTION")).DataAsync());
        Assert.Equal(["production worker", "Production App"], found);
    }

    [Fact]
    public async Task StatusFilter_SeparatesActiveRevokedExpired()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (_, revoked) = await app.CreateKeyAsync(tenant, ["campaigns:read"], name: "revoked");
        await app.CreateKeyAsync(tenant, ["campaigns:read"], name: "expiring", expiresInDays: 1);
        var client = app.Client(admin);
        await client.DeleteAsync($"{Keys}/{revoked}");
        app.Advance(TimeSpan.FromDays(2));

        Assert.Equal(["revoked"], Names(await (await client.GetAsync($"{Keys}?status=revoked")).DataAsync()));
        Assert.Equal(["expiring"], Names(await (await client.GetAsync($"{Keys}?status=expired")).DataAsync()));
        Assert.Equal(["test key"], Names(await (await client.GetAsync($"{Keys}?status=active")).DataAsync()));
        Assert.Equal("expired", (await (await client.GetAsync($"{Keys}?status=expired")).DataAsync())[0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task SortByName_AndCursorPagination_VisitEveryKeyOnce()
    {
        var (client, _) = await TenantWithKeysAsync("delta", "alpha", "echo", "charlie", "bravo");
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var response = await client.GetAsync($"{Keys}?sort=name&order=asc&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            var body = await response.BodyAsync();
            seen.AddRange(Names(await response.DataAsync()));
            cursor = body["meta"]!["pagination"]!["next_cursor"]?.GetValue<string>();
            Assert.Equal(cursor is not null, body["meta"]!["pagination"]!["has_more"]!.GetValue<bool>());
        }
        while (cursor is not null);

        Assert.Equal(["alpha", "bravo", "charlie", "delta", "echo", "test key"], seen);
    }

    [Fact]
    public async Task DefaultSort_IsNewestFirst_AcrossPages()
    {
        var (client, _) = await TenantWithKeysAsync("first", "second", "third");
        var page1 = await (await client.GetAsync($"{Keys}?limit=2")).BodyAsync();
        var cursor = page1["meta"]!["pagination"]!["next_cursor"]!.GetValue<string>();
        var page2 = await (await client.GetAsync($"{Keys}?limit=2&cursor={cursor}")).DataAsync();

        Assert.Equal(["third", "second"], Names(page1["data"]!));
        Assert.Equal(["first", "test key"], Names(page2));
    }

    [Fact]
    public async Task SortByLastUsed_PutsNeverUsedLast()
    {
        var (tenant, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var (used, _) = await app.CreateKeyAsync(tenant, ["campaigns:read"], name: "used");
        await app.CreateKeyAsync(tenant, ["campaigns:read"], name: "idle");
        var client = app.Client(admin);
        await app.Client(used).GetAsync("/api/v1/me");
        app.Advance(TimeSpan.FromMinutes(1));
        await client.GetAsync("/api/v1/me");
        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Advance(TimeSpan.FromSeconds(5));
            var keys = await (await client.GetAsync($"{Keys}?sort=last_used_at")).DataAsync();
            return keys.AsArray().Count(k => k!["last_used_at"] is not null) == 2;
        }, "usage is flushed");

        var names = Names(await (await client.GetAsync($"{Keys}?sort=last_used_at&limit=1")).DataAsync());
        var all = Names(await (await client.GetAsync($"{Keys}?sort=last_used_at")).DataAsync());
        Assert.Equal(["test key"], names);
        Assert.Equal(["test key", "used", "idle"], all);
    }

    [Fact]
    public async Task InvalidQuery_ListsEveryFailingParameter()
    {
        var (client, _) = await TenantWithKeysAsync();
        var error = await (await client.GetAsync($"{Keys}?limit=0&sort=size&status=sleeping&order=up&cursor=%%%"))
            .ErrorAsync(400, "VALIDATION_ERROR");
        var fields = error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["limit", "cursor", "sort", "status", "order"], fields);
    }
}

public sealed class ApiKeyListSqliteTests(SqliteFactory app) : ApiKeyListTests(app), IClassFixture<SqliteFactory>;

public sealed class ApiKeyListPostgresTests(PostgresFactory app) : ApiKeyListTests(app), IClassFixture<PostgresFactory>;
