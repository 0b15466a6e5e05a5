using System.Net.Http.Headers;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PenguinMails.Tests.Auth;

public abstract class AuthenticationTests(PenguinMailsFactory app)
{
    private const string Me = "/api/v1/me";

    [Fact]
    public async Task NoKey_IsAuthenticationRequired()
    {
        var response = await app.Client().GetAsync(Me);
        await response.ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task NonBearerScheme_IsAuthenticationRequired()
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        await (await client.GetAsync(Me)).ErrorAsync(401, "AUTHENTICATION_REQUIRED");
    }

    [Theory]
    [InlineData("pm_live_short")]
    [InlineData("sk_live_0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("not a key at all")]
    public async Task MalformedKey_IsInvalid(string key) =>
        await (await app.Client(key).GetAsync(Me)).ErrorAsync(401, "INVALID_API_KEY");

    [Fact]
    public async Task WrongChecksum_IsInvalid_WithoutLookup()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        var tampered = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');
        Assert.False(ApiKeyFormat.IsWellFormed(tampered));
        await (await app.Client(tampered).GetAsync(Me)).ErrorAsync(401, "INVALID_API_KEY");
    }

    [Fact]
    public async Task WellFormedUnknownKey_IsInvalid()
    {
        var unknown = ApiKeyFormat.Generate(KeyEnvironment.Live);
        await (await app.Client(unknown).GetAsync(Me)).ErrorAsync(401, "INVALID_API_KEY");
    }

    [Fact]
    public async Task RightIdentifierWrongSecret_IsInvalid()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        var other = ApiKeyFormat.Generate(KeyEnvironment.Live);
        // Same public identifier, another secret, valid checksum: only the HMAC comparison can refuse it.
        var forged = ApiKeyFormat.Seal(key[..ApiKeyFormat.KeyIdLength] + other[ApiKeyFormat.KeyIdLength..^ApiKeyFormat.ChecksumLength]);
        Assert.True(ApiKeyFormat.IsWellFormed(forged));
        await (await app.Client(forged).GetAsync(Me)).ErrorAsync(401, "INVALID_API_KEY");
    }

    [Fact]
    public async Task AllowedIp_InsideRange_IsServed()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, ["campaigns:read"], ["203.0.113.0/24", "2001:db8::/32"]);
        Assert.Equal(200, (int)(await Send(key, "203.0.113.255")).StatusCode);
        Assert.Equal(200, (int)(await Send(key, "2001:db8:ffff::1")).StatusCode);
    }

    [Fact]
    public async Task IpOutsideAllowList_IsForbidden_AndRecorded()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"], ["203.0.113.0/24"]);

        await (await Send(key, "203.0.114.1")).ErrorAsync(403, "IP_NOT_ALLOWED");

        await PenguinMailsFactory.Eventually(() => app.InTenantAsync(tenant, sp =>
            sp.GetRequiredService<AppDb>().SecurityEvents.AnyAsync(e =>
                e.Type == "auth.ip_denied" && e.ApiKeyId == id && e.IpAddress == "203.0.114.1")), "the security event is stored");
    }

    [Fact]
    public async Task PlainHttp_FromNonLoopback_IsRefused_HttpsThroughProxyIsServed()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        await (await Send(key, "198.51.100.7", https: false)).ErrorAsync(403, "HTTPS_REQUIRED");
        Assert.Equal(200, (int)(await Send(key, "198.51.100.7", https: true)).StatusCode);
    }

    [Fact]
    public async Task ExpiredKey_IsRefusedWithItsOwnCode()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, ["campaigns:read"], expiresInDays: 1);
        Assert.Equal(200, (int)(await app.Client(key).GetAsync(Me)).StatusCode);
        app.Advance(TimeSpan.FromDays(1));
        await (await app.Client(key).GetAsync(Me)).ErrorAsync(401, "API_KEY_EXPIRED");
    }

    [Fact]
    public async Task RevokedByAnotherNode_IsRefusedHere_WithinThePollInterval()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, id) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);
        Assert.Equal(200, (int)(await app.Client(key).GetAsync(Me)).StatusCode); // cached on this node

        // Another node: same database, revokes through its own services; this node's cache is not told.
        await app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            var now = app.Clock.GetUtcNow().UtcDateTime;
            return await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(k => k.RevokedAt, now).SetProperty(k => k.UpdatedAt, now));
        });
        Assert.Equal(200, (int)(await app.Client(key).GetAsync(Me)).StatusCode); // still cached: no read per request

        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Advance(TimeSpan.FromSeconds(2)); // PenguinMails:ApiKeys:ChangePollSeconds
            return (int)(await app.Client(key).GetAsync(Me)).StatusCode == 401;
        }, "the change feed evicts the revoked key");
        await (await app.Client(key).GetAsync(Me)).ErrorAsync(401, "API_KEY_REVOKED");
    }

    private Task<HttpResponseMessage> Send(string key, string clientIp, bool https = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Me);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("X-Forwarded-For", clientIp);
        if (https)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
        }

        return app.Client().SendAsync(request);
    }
}

public sealed class AuthenticationSqliteTests(SqliteFactory app) : AuthenticationTests(app), IClassFixture<SqliteFactory>;

public sealed class AuthenticationPostgresTests(PostgresFactory app) : AuthenticationTests(app), IClassFixture<PostgresFactory>;
