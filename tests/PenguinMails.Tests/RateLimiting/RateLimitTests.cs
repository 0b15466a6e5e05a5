using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Tenancy;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.RateLimiting;

/// <summary>
/// Plan limits as a client sees them, with the clock in the test's hands. The same suite runs on each store:
/// the starter plan is 60/min with a burst of 100, so one request costs 1 s of allowance.
/// </summary>
public abstract class RateLimitTests(PenguinMailsFactory app, string store) : IAsyncLifetime
{
    protected const string Me = "/api/v1/me";

    public Task InitializeAsync() =>
        PenguinMailsFactory.Eventually(async () => await RateLimiterAsync() == store, $"/readyz says limits are kept in '{store}'");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Readyz_SaysWhereLimitsAreKept() => Assert.Equal(store, await RateLimiterAsync());

    [Fact]
    public async Task IdleTenant_GetsExactlyItsBurstAtOnce_AndNoMore()
    {
        var (_, key) = await TenantWithKeyAsync();
        var client = app.Client(key);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 130).Select(async _ => (int)(await client.GetAsync(Me)).StatusCode));

        Assert.Equal(100, statuses.Count(s => s == 200));
        Assert.Equal(30, statuses.Count(s => s == 429));
    }

    [Fact]
    public async Task AfterTheBurst_ExactlyOneMoreRequestPerEmissionInterval()
    {
        var (_, key) = await TenantWithKeyAsync();
        var client = app.Client(key);
        await SpendAsync(client, 100);
        Assert.Equal(429, (int)(await client.GetAsync(Me)).StatusCode);

        app.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(429, (int)(await client.GetAsync(Me)).StatusCode);

        app.Advance(TimeSpan.FromMilliseconds(1));
        var refilled = await client.GetAsync(Me);
        Assert.Equal(200, (int)refilled.StatusCode);
        Assert.Equal("0", Header(refilled, "X-RateLimit-Remaining"));
        Assert.Equal(429, (int)(await client.GetAsync(Me)).StatusCode);

        app.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(3, await CountAllowedAsync(client, 5));
    }

    [Fact]
    public async Task RateLimitHeaders_ShareOneScale_TheBurst()
    {
        var (_, key) = await TenantWithKeyAsync();
        var client = app.Client(key);

        var first = await client.GetAsync(Me);
        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal("100", Header(first, "X-RateLimit-Limit"));
        Assert.Equal("99", Header(first, "X-RateLimit-Remaining"));
        Assert.Equal("1", Header(first, "X-RateLimit-Reset"));
        Assert.Equal("100", Header(first, "X-RateLimit-Window"));
        Assert.Equal("\"starter\";q=100;w=100", Header(first, "RateLimit-Policy"));
        Assert.Equal("\"starter\";r=99;t=1", Header(first, "RateLimit"));
        Assert.False(first.Headers.Contains("Retry-After"));

        await SpendAsync(client, 9);
        app.Advance(TimeSpan.FromMilliseconds(4500)); // 10 s of allowance in use, 4.5 s of it back
        var later = await client.GetAsync(Me);
        Assert.Equal("93", Header(later, "X-RateLimit-Remaining"));
        Assert.Equal("7", Header(later, "X-RateLimit-Reset"));
        Assert.Equal("\"starter\";r=93;t=7", Header(later, "RateLimit"));
    }

    [Theory]
    [InlineData(Plan.Starter, "100", "100")]
    [InlineData(Plan.Professional, "500", "100")]
    [InlineData(Plan.Business, "2000", "120")]
    public async Task RateLimitHeaders_EveryPlan_LimitIsTheBurst_UsedIsNeverNegative(Plan plan, string burst, string window)
    {
        var (tenant, key) = await TenantWithKeyAsync();
        await SetPlanAsync(tenant, plan);
        var client = app.Client(key);

        for (var i = 1; i <= 5; i++)
        {
            var response = await client.GetAsync(Me);
            Assert.Equal(burst, Header(response, "X-RateLimit-Limit"));
            Assert.Equal(window, Header(response, "X-RateLimit-Window"));
            var used = int.Parse(burst) - int.Parse(Header(response, "X-RateLimit-Remaining")!);
            Assert.Equal(i, used);
            Assert.Equal($"\"{plan.ToString().ToLowerInvariant()}\";q={burst};w={window}", Header(response, "RateLimit-Policy"));
        }
    }

    [Fact]
    public async Task RefusedRequest_Is429_WithTheEnvelope_RetryAfterAndHeaders()
    {
        var (_, key) = await TenantWithKeyAsync();
        var client = app.Client(key);
        await SpendAsync(client, 100);

        var refused = await client.GetAsync(Me);

        var error = await refused.ErrorAsync(429, "RATE_LIMIT_EXCEEDED");
        Assert.Equal("Rate limit exceeded. Try again in 1 second. Upgrade plan for higher limits.", error["message"]!.GetValue<string>());
        Assert.Equal(1, error["details"]![0]!["retry_after"]!.GetValue<int>());
        Assert.Contains("60 requests per minute", error["details"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("1", Header(refused, "Retry-After"));
        Assert.Equal("100", Header(refused, "X-RateLimit-Limit"));
        Assert.Equal("0", Header(refused, "X-RateLimit-Remaining"));
        Assert.Equal("100", Header(refused, "X-RateLimit-Reset"));
        Assert.Equal("100", Header(refused, "X-RateLimit-Window"));
        Assert.Equal("\"starter\";r=0;t=100", Header(refused, "RateLimit"));
    }

    [Fact]
    public async Task TheLimitIsTheTenants_SharedByItsKeys_AndNoOtherTenants()
    {
        var (tenant, first) = await TenantWithKeyAsync();
        var (second, _) = await app.CreateKeyAsync(tenant, ["campaigns:read"], name: "second");
        var (_, otherTenantsKey) = await TenantWithKeyAsync();
        await SpendAsync(app.Client(first), 60);
        await SpendAsync(app.Client(second), 40);

        Assert.Equal(429, (int)(await app.Client(first).GetAsync(Me)).StatusCode);
        Assert.Equal(429, (int)(await app.Client(second).GetAsync(Me)).StatusCode);
        var other = await app.Client(otherTenantsKey).GetAsync(Me);
        Assert.Equal(200, (int)other.StatusCode);
        Assert.Equal("99", Header(other, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task PlanChange_AppliesWithinTheRefreshInterval_WithoutRestart()
    {
        var (tenant, key) = await TenantWithKeyAsync();
        var client = app.Client(key);
        Assert.Equal("100", Header(await client.GetAsync(Me), "X-RateLimit-Limit"));

        await SetPlanAsync(tenant, Plan.Professional); // what `penguinmails tenants set-plan` does, from another process
        Assert.Equal("100", Header(await client.GetAsync(Me), "X-RateLimit-Limit")); // cached: no read per request

        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Advance(TimeSpan.FromSeconds(2)); // PenguinMails:RateLimits:PlanRefreshSeconds
            return Header(await client.GetAsync(Me), "X-RateLimit-Limit") == "500";
        }, "the new plan's limit applies");
        var upgraded = await client.GetAsync(Me);
        Assert.Equal("\"professional\";q=500;w=100", Header(upgraded, "RateLimit-Policy"));
    }

    [Fact]
    public async Task HealthAndDocs_AreNotLimited_AndSpendNoAllowance()
    {
        var (_, key) = await TenantWithKeyAsync();
        var client = app.Client(key);
        string[] open = ["/healthz", "/readyz", "/openapi/v1.json", "/docs/errors", "/docs/api/"];
        foreach (var path in open)
        {
            var response = await client.GetAsync(path);
            Assert.True((int)response.StatusCode == 200, $"{path} answered {(int)response.StatusCode}");
            Assert.False(response.Headers.Contains("X-RateLimit-Limit"), $"{path} is rate limited");
        }

        Assert.Equal("99", Header(await client.GetAsync(Me), "X-RateLimit-Remaining"));
        await SpendAsync(client, 99);
        Assert.Equal(429, (int)(await client.GetAsync(Me)).StatusCode);
        foreach (var path in open)
        {
            Assert.Equal(200, (int)(await client.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task KeyManagementApi_IsLimited()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        var client = app.Client(key);

        var listed = await client.GetAsync("/api/v1/platform/api-keys");
        Assert.Equal(200, (int)listed.StatusCode);
        Assert.Equal("99", Header(listed, "X-RateLimit-Remaining"));
        await SpendAsync(client, 99, "/api/v1/platform/api-keys");
        await (await client.GetAsync("/api/v1/platform/api-keys")).ErrorAsync(429, "RATE_LIMIT_EXCEEDED");
    }

    [Fact]
    public async Task RequestWithARefusedKey_IsNotRateLimited()
    {
        var unknown = ApiKeyFormat.Generate(KeyEnvironment.Live);
        var response = await app.Client(unknown).GetAsync(Me);
        await response.ErrorAsync(401, "INVALID_API_KEY");
        Assert.False(response.Headers.Contains("X-RateLimit-Limit"));
    }

    [Fact]
    public async Task Usage_IsRecordedPerMinute_AndRefusalsAreKept()
    {
        var (tenant, key) = await TenantWithKeyAsync();
        var client = app.Client(key);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var minute = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc);
        await SpendAsync(client, 100);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(429, (int)(await client.GetAsync(Me)).StatusCode);
        }

        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Advance(TimeSpan.FromSeconds(5)); // PenguinMails:RateLimits:UsageFlushSeconds
            return await app.InTenantAsync(tenant, async sp =>
            {
                var db = sp.GetRequiredService<AppDb>();
                return await db.RateLimitUsage.AnyAsync(u => u.Allowed + u.Refused == 103)
                    && await db.RateLimitRefusals.SumAsync(r => r.Count) == 3;
            });
        }, "usage is written behind");

        var usage = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().RateLimitUsage.SingleAsync());
        Assert.Equal(minute, usage.MinuteStart);
        Assert.Equal((100, 3, 100, 60, 100), (usage.Allowed, usage.Refused, usage.PeakUsed, usage.LimitPerMinute, usage.Burst));
        var refusals = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().RateLimitRefusals.ToListAsync());
        Assert.Equal(3, refusals.Sum(r => r.Count));
        Assert.All(refusals, r => Assert.Equal(("GET", Me, 1), (r.Method, r.Path, r.RetryAfterSeconds)));
        var keyId = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiKeys.Select(k => k.Id).SingleAsync());
        Assert.All(refusals, r => Assert.Equal(keyId, r.ApiKeyId));
    }

    protected PenguinMailsFactory App => app;

    protected async Task<(Guid Tenant, string Key)> TenantWithKeyAsync()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, ["campaigns:read"]);
        return (tenant, key);
    }

    protected static async Task SpendAsync(HttpClient client, int requests, string path = Me)
    {
        for (var i = 0; i < requests; i++)
        {
            var response = await client.GetAsync(path);
            Assert.True((int)response.StatusCode == 200, $"request {i + 1} of {requests} answered {(int)response.StatusCode}");
        }
    }

    protected static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static async Task<int> CountAllowedAsync(HttpClient client, int requests)
    {
        var allowed = 0;
        for (var i = 0; i < requests; i++)
        {
            allowed += (int)(await client.GetAsync(Me)).StatusCode == 200 ? 1 : 0;
        }

        return allowed;
    }

    private Task<int> SetPlanAsync(Guid tenant, Plan plan) => app.InTenantAsync(tenant, sp =>
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return sp.GetRequiredService<AppDb>().Tenants.Where(t => t.Id == tenant)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Plan, plan).SetProperty(t => t.UpdatedAt, now));
    });

    private async Task<string> RateLimiterAsync()
    {
        var data = await (await app.Client().GetAsync("/readyz")).DataAsync();
        return data["checks"]!["rate_limiter"]!.GetValue<string>();
    }
}

public sealed class RateLimitSqliteTests(SqliteFactory app) : RateLimitTests(app, "local"), IClassFixture<SqliteFactory>;

public sealed class RateLimitPostgresTests(PostgresFactory app) : RateLimitTests(app, "local"), IClassFixture<PostgresFactory>;

public sealed class RateLimitRedisTests(RedisFactory app) : RateLimitTests(app, "redis"), IClassFixture<RedisFactory>
{
    [Fact]
    public async Task RedisKey_LivesExactlyUntilTheAllowanceIsWhole()
    {
        var (tenant, key) = await TenantWithKeyAsync();
        await SpendAsync(App.Client(key), 10);

        using var redis = TestRedis.Connect();
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync($"{((RedisFactory)App).KeyPrefix}ratelimit:{tenant:N}");

        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10)); // 10 requests × 1 s, less the time since
    }
}
