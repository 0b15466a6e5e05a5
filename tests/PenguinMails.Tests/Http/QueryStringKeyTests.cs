using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// A key in a URL ends up in access logs, proxies and browser history: however it sits in the query string,
/// the request is refused, even when a valid Authorization header comes with it.
/// </summary>
public abstract class QueryStringKeyTests(PenguinMailsFactory app)
{
    private async Task<(string Key, HttpClient Client)> KeyAsync(string environment = "live")
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.CampaignsRead], environment: environment);
        return (key, app.Client(key));
    }

    [Fact]
    public async Task KeyAsABareQueryParameter_IsRefused_EvenWithAValidHeader()
    {
        var (key, client) = await KeyAsync();

        await (await client.GetAsync($"/api/v1/me?{key}")).ErrorAsync(400, "API_KEY_IN_QUERY_STRING");
    }

    [Fact]
    public async Task TestKeyAsTheValueOfAnotherParameter_IsRefused()
    {
        var (key, client) = await KeyAsync("test");

        await (await client.GetAsync($"/api/v1/me?token={key}")).ErrorAsync(400, "API_KEY_IN_QUERY_STRING");
    }

    [Fact]
    public async Task KeyInsideALongerValue_IsRefused()
    {
        var (key, client) = await KeyAsync();

        await (await client.GetAsync($"/api/v1/me?note={Uri.EscapeDataString($"my key is {key} ok")}"))
            .ErrorAsync(400, "API_KEY_IN_QUERY_STRING");
    }

    [Fact]
    public async Task AccessTokenParameter_IsRefused_WhateverItsValue()
    {
        var (_, client) = await KeyAsync();

        await (await client.GetAsync("/api/v1/me?access_token=abc")).ErrorAsync(400, "API_KEY_IN_QUERY_STRING");
    }

    [Fact]
    public async Task Refusal_NeverEchoesTheKey()
    {
        var (key, client) = await KeyAsync();

        var response = await client.GetAsync($"/api/v1/me?api_key={key}");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.DoesNotContain(key[ApiKeyFormat.KeyIdLength..], await response.Content.ReadAsStringAsync());
    }
}

public sealed class QueryStringKeySqliteTests(SqliteFactory app) : QueryStringKeyTests(app), IClassFixture<SqliteFactory>;

public sealed class QueryStringKeyPostgresTests(PostgresFactory app) : QueryStringKeyTests(app), IClassFixture<PostgresFactory>;
