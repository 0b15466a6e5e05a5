using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// Every list's <c>search</c> ignores case in all of Unicode, on both databases: on SQLite a search for "über" never
/// found the campaign "Über Sale" (SQLite's own <c>lower()</c> folds A–Z only). A search over addresses also finds a
/// domain written in its ASCII form (<c>xn--bcher-kva</c>), since addresses are kept in Unicode.
/// </summary>
public abstract class UnicodeSearchTests(PenguinMailsFactory app)
{
    [Theory]
    [InlineData("/api/v1/campaigns", "Über Sale", "über")]
    [InlineData("/api/v1/campaigns", "über sale", "ÜBER SALE")]
    [InlineData("/api/v1/templates", "Çafé Ünïon", "çafé ünïon")]
    [InlineData("/api/v1/templates", "Ωmega ΣΎΝΟΨΗ", "σύνοψη")]
    [InlineData("/api/v1/platform/api-keys", "Ärger Sync", "ärger")]
    [InlineData("/api/v1/platform/api-keys", "ПРОДАКШН", "продакшн")]
    public async Task ANameSearch_IgnoresCaseBeyondAsciiLetters(string collection, string name, string search)
    {
        var client = await app.EveryPermissionClientAsync();
        var other = await CreateAsync(client, collection, "Plain name");
        var named = await CreateAsync(client, collection, name);

        var found = await (await client.GetAsync($"{collection}?search={Uri.EscapeDataString(search)}")).DataAsync();

        var ids = found.AsArray().Select(Id).ToList();
        Assert.Contains(named, ids);
        Assert.DoesNotContain(other, ids);
    }

    [Theory]
    [InlineData("ann@xn--bcher-kva.example")]
    [InlineData("XN--BCHER-KVA.example")]
    [InlineData("@xn--bcher-kva")]
    [InlineData("BÜCHER")]
    public async Task AnAddressSearch_FindsAUnicodeDomainByEitherForm(string search)
    {
        var client = await app.EveryPermissionClientAsync();
        await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = "ann@bücher.example" })).DataAsync(201);
        await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = "ann@books.example" })).DataAsync(201);
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = "ann@bücher.example", reason = "manual" })).DataAsync(201);
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = "ann@books.example", reason = "manual" })).DataAsync(201);

        foreach (var list in new[] { "/api/v1/contacts", "/api/v1/suppressions" })
        {
            var found = await (await client.GetAsync($"{list}?search={Uri.EscapeDataString(search)}")).DataAsync();
            var email = Assert.Single(found.AsArray())!["email"]!.GetValue<string>();
            Assert.Equal("ann@bücher.example", email);
        }
    }

    private static string Id(JsonNode? item) => item!["slug"]?.GetValue<string>() ?? item["id"]!.GetValue<string>();

    private static async Task<string> CreateAsync(HttpClient client, string collection, string name) =>
        (await NewResources.CreateAsync(client, collection, new JsonObject { ["name"] = name }))[(collection.Length + 1)..];
}

public sealed class UnicodeSearchSqliteTests(SqliteFactory app) : UnicodeSearchTests(app), IClassFixture<SqliteFactory>;

public sealed class UnicodeSearchPostgresTests(PostgresFactory app) : UnicodeSearchTests(app), IClassFixture<PostgresFactory>;
