using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.ApiKeys;

/// <summary>Tenant A's key manager cannot see or touch tenant B's keys: it gets 404, as if they did not exist.</summary>
public abstract class TenantIsolationTests(PenguinMailsFactory app)
{
    private const string Keys = "/api/v1/platform/api-keys";

    [Fact]
    public async Task List_ShowsOnlyOwnTenantsKeys()
    {
        var (_, adminA, idA) = await app.CreateTenantWithAdminKeyAsync();
        var (_, _, idB) = await app.CreateTenantWithAdminKeyAsync();

        var ids = (await (await app.Client(adminA).GetAsync($"{Keys}?limit=100")).DataAsync()).AsArray()
            .Select(k => k!["id"]!.GetValue<string>()).ToList();

        Assert.Contains(idA.ToString(), ids);
        Assert.DoesNotContain(idB.ToString(), ids);
    }

    [Fact]
    public async Task Search_ForOtherTenantsKeyIdentifier_FindsNothing()
    {
        var (_, adminA, _) = await app.CreateTenantWithAdminKeyAsync();
        var (_, keyB, _) = await app.CreateTenantWithAdminKeyAsync();

        var found = await (await app.Client(adminA).GetAsync($"{Keys}?search={keyB[..22]}")).DataAsync();

        Assert.Empty(found.AsArray());
    }

    [Fact]
    public async Task ReadUpdateRotateRevoke_OtherTenantsKey_AreNotFound()
    {
        var (_, adminA, _) = await app.CreateTenantWithAdminKeyAsync();
        var (_, keyB, idB) = await app.CreateTenantWithAdminKeyAsync();
        var client = app.Client(adminA);

        await (await client.GetAsync($"{Keys}/{idB}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await client.GetAsync($"{Keys}/{keyB[..22]}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await client.PatchJsonAsync($"{Keys}/{idB}", new { name = "mine now" })).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await client.PostAsync($"{Keys}/{idB}/rotate", null)).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await client.DeleteAsync($"{Keys}/{idB}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");

        var me = await (await app.Client(keyB).GetAsync("/api/v1/me")).DataAsync();
        Assert.Equal(idB.ToString(), me["id"]!.GetValue<string>()); // B's key untouched and working
        var own = await (await app.Client(keyB).GetAsync($"{Keys}/{idB}")).DataAsync();
        Assert.Equal("test key", own["name"]!.GetValue<string>());
    }
}

public sealed class TenantIsolationSqliteTests(SqliteFactory app) : TenantIsolationTests(app), IClassFixture<SqliteFactory>;

public sealed class TenantIsolationPostgresTests(PostgresFactory app) : TenantIsolationTests(app), IClassFixture<PostgresFactory>;
