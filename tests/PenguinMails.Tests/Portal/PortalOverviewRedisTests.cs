using System.Net;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.RateLimiting;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The rate-limit card with several nodes: it reads the tenant's TAT from Redis, where every node's decisions meet, so
/// requests another node let through show on this node's card.
/// </summary>
public sealed class PortalOverviewRedisTests(RedisFactory app) : IClassFixture<RedisFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => PenguinMailsFactory.Eventually(async () =>
    {
        var data = await (await app.Client().GetAsync("/readyz")).DataAsync();
        return data["checks"]!["rate_limiter"]!.GetValue<string>() == "redis";
    }, "/readyz says limits are kept in Redis");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RateLimitCard_CountsRequestsOtherNodesAllowed_FromTheSharedState()
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app);
        using var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        var (key, _) = await app.CreateKeyAsync(tenant, ["contacts:read"]);
        using var client = app.Client(key);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        }

        // Another node allows 40 more: the shared TAT moves 40 s ahead (one second per request at 60/min).
        using var redis = TestRedis.Connect();
        await redis.GetDatabase().StringIncrementAsync($"{app.KeyPrefix}ratelimit:{tenant:N}", 40 * 1_000_000L);
        var card = await browser.GetAsync("/dashboard/settings/developers/rate-limit");

        Assert.Contains(">50 / 60 (83%)<", card.Html);
        Assert.Contains("Resets in 50 seconds", card.Html);
        Assert.Contains("Approaching rate limit.", card.Html);
        Assert.DoesNotContain("Redis is unreachable", card.Html);
    }
}
