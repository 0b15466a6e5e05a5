using System.Diagnostics;
using PenguinMails.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PenguinMails.Tests.RateLimiting;

/// <summary>
/// Real server processes on the real clock: two nodes sharing one Redis and one PostgreSQL database, and one
/// node whose Redis is stopped, or hangs, under it.
/// </summary>
/// <remarks>
/// Where a test is not about slowness, its nodes give Redis 2 s instead of 250 ms: on a test host busy with
/// the rest of the suite, a 250 ms budget can run out, and the node would rightly go local for a while —
/// which would blur a test about sharing or about an outage. The hanging-Redis test keeps the 250 ms default.
/// </remarks>
public sealed class MultiNodeTests(ITestOutputHelper output)
{
    private const string PatientRedis = "2000";

    private static readonly string HashSecret = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
        "multi-node-test-secret-multi-node-test-secret"));

    [Fact]
    public async Task TwoNodes_SharingRedis_TogetherAllowThePlansAllowance_WithinOnePercent()
    {
        using var database = new TestDatabase();
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["PenguinMails__Database__Provider"] = "postgres",
            ["PenguinMails__Database__ConnectionString"] = database.ConnectionString,
            ["PenguinMails__ApiKeys__HashSecret"] = HashSecret,
            ["PenguinMails__Redis__ConnectionString"] = TestRedis.ConnectionString,
            ["PenguinMails__Redis__KeyPrefix"] = $"pmtest-{Guid.NewGuid():N}:",
            ["PenguinMails__Redis__TimeoutMilliseconds"] = PatientRedis,
            ["PenguinMails__DataDirectory"] = data.Path,
        };
        using var reachable = TestRedis.Connect();
        await using var first = await ServerNode.StartAsync(environment); // migrates the database
        await using var second = await ServerNode.StartAsync(environment);
        var slug = await ServerNode.RunCliAsync(environment, "tenants", "create", "--name", "Two nodes", "--plan", "professional");
        var key = await ServerNode.RunCliAsync(environment, "keys", "create", "--tenant", slug, "--name", "hammer", "--preset", "read_only");
        foreach (var node in new[] { first, second })
        {
            await PenguinMailsFactory.Eventually(async () => await node.RateLimiterAsync() == "redis", "the node uses Redis", 20_000);
        }

        // Professional: 300/min (one request per 0.2 s) after a burst of 500. Eight callers alternate between
        // the nodes, far faster than that, for a fixed window.
        var clients = new[] { first.Client(key), second.Client(key) };
        var allowedBy = new long[2];
        long refused = 0;
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<string>();
        var window = TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async caller =>
        {
            for (var i = caller; clock.Elapsed < window; i++)
            {
                var node = i % 2;
                using var response = await clients[node].GetAsync("/api/v1/me");
                switch ((int)response.StatusCode)
                {
                    case 200: Interlocked.Increment(ref allowedBy[node]); break;
                    case 429: Interlocked.Increment(ref refused); break;
                    default: unexpected.Add($"{(int)response.StatusCode} from node {node + 1}"); break;
                }
            }
        }));
        var elapsed = clock.Elapsed; // from before the first request to after the last answer

        Assert.Empty(unexpected);
        var allowed = allowedBy[0] + allowedBy[1];
        var theoretical = 500 + elapsed.TotalSeconds / 0.2;
        output.WriteLine($"allowed {allowed} (node 1: {allowedBy[0]}, node 2: {allowedBy[1]}), refused {refused}, " +
            $"in {elapsed.TotalSeconds:F2} s; theoretical {theoretical:F1}; error {(allowed - theoretical) / theoretical:P2}");
        Assert.True(Math.Abs(allowed - theoretical) <= theoretical * 0.01,
            $"allowed {allowed} (node 1: {allowedBy[0]}, node 2: {allowedBy[1]}, refused {refused}) in {elapsed.TotalSeconds:F2} s; " +
            $"the plan allows {theoretical:F1}");
        Assert.True(allowedBy[0] > 0 && allowedBy[1] > 0, "both nodes served the tenant");
        Assert.True(refused > allowed, "the callers asked for more than the plan allows");
    }

    [Fact]
    public async Task RedisStopped_NodeKeepsServingUnderLocalLimits_AndReturnsToRedisWhenItIsBack()
    {
        using var redis = await DedicatedRedis.StartAsync();
        using var data = new TempDirectory();
        var prefix = $"pmtest-{Guid.NewGuid():N}:";
        var environment = new Dictionary<string, string>
        {
            ["PenguinMails__DataDirectory"] = data.Path,
            ["PenguinMails__Redis__ConnectionString"] = redis.ConnectionString,
            ["PenguinMails__Redis__KeyPrefix"] = prefix,
            ["PenguinMails__Redis__ProbeSeconds"] = "0.5",
            ["PenguinMails__Redis__TimeoutMilliseconds"] = PatientRedis,
        };
        await using var node = await ServerNode.StartAsync(environment);
        var slug = await ServerNode.RunCliAsync(environment, "tenants", "create", "--name", "Outage");
        var key = await ServerNode.RunCliAsync(environment, "keys", "create", "--tenant", slug, "--name", "outage", "--preset", "read_only");
        await PenguinMailsFactory.Eventually(async () => await node.RateLimiterAsync() == "redis", "the node uses Redis", 20_000);
        using var client = node.Client(key);
        await AllowedAsync(client, KeyLifetimeRequests);
        Assert.Equal(1, await CountTenantKeysAsync(redis, prefix));

        redis.Stop();
        var statuses = new List<int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 130; i++)
        {
            statuses.Add((int)(await client.GetAsync("/api/v1/me")).StatusCode);
        }

        Assert.All(statuses, s => Assert.True(s is 200 or 429, $"answered {s} while Redis was down"));
        Assert.Equal(200, statuses[0]);
        var allowedLocally = statuses.Count(s => s == 200);
        Assert.InRange(allowedLocally, 100, 100 + (int)Math.Ceiling(clock.Elapsed.TotalSeconds)); // starter, on this node alone
        Assert.Equal("local (redis unreachable)", await node.RateLimiterAsync());

        await redis.StartAgainAsync();
        await PenguinMailsFactory.Eventually(async () => await node.RateLimiterAsync() == "redis", "the node goes back to Redis", 20_000);
        await AllowedAsync(client, KeyLifetimeRequests); // the new Redis is empty: a whole burst
        Assert.Equal(1, await CountTenantKeysAsync(redis, prefix));
        await PenguinMailsFactory.Eventually(() => Task.FromResult(node.Output.Contains("reachable again", StringComparison.Ordinal)),
            "the return is logged");
        Assert.Equal(1, Occurrences(node.Output, "Redis is unreachable"));
    }

    [Fact]
    public async Task RedisHanging_RequestIsDecidedLocallyAfterTheShortTimeout_ThenRedisAgain()
    {
        using var redis = await DedicatedRedis.StartAsync();
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["PenguinMails__DataDirectory"] = data.Path,
            ["PenguinMails__Redis__ConnectionString"] = redis.ConnectionString,
            ["PenguinMails__Redis__ProbeSeconds"] = "0.5", // and the default 250 ms per call
        };
        await using var node = await ServerNode.StartAsync(environment);
        var slug = await ServerNode.RunCliAsync(environment, "tenants", "create", "--name", "Hang");
        var key = await ServerNode.RunCliAsync(environment, "keys", "create", "--tenant", slug, "--name", "hang", "--preset", "read_only");
        await PenguinMailsFactory.Eventually(async () => await node.RateLimiterAsync() == "redis", "the node uses Redis", 20_000);
        using var client = node.Client(key);
        Assert.Equal(200, (int)(await client.GetAsync("/api/v1/me")).StatusCode);

        using var admin = TestRedis.Connect(redis.ConnectionString, admin: true); // closed only once the pause is over
        await admin.GetServer(admin.GetEndPoints()[0]).ExecuteAsync("CLIENT", "PAUSE", "5000", "ALL");

        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync("/api/v1/me");
        var waited = clock.Elapsed;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(waited < TimeSpan.FromMilliseconds(2500), $"the request waited {waited.TotalMilliseconds:F0} ms for a paused Redis");
        Assert.Equal("local (redis unreachable)", await node.RateLimiterAsync());
        await PenguinMailsFactory.Eventually(async () => await node.RateLimiterAsync() == "redis", "the node goes back to Redis", 20_000);
        output.WriteLine($"a request waited {waited.TotalMilliseconds:F0} ms; Redis was used again after {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// A tenant's key lives as long as its TAT is ahead of now: one request at the starter plan's 100 a minute keeps it
    /// 0.6 s, which a busy machine can spend before the count. Ten keep it 6 s.
    /// </summary>
    private const int KeyLifetimeRequests = 10;

    private static async Task AllowedAsync(HttpClient client, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            Assert.Equal(200, (int)(await client.GetAsync("/api/v1/me")).StatusCode);
        }
    }

    /// <summary>Tenants' keys, not the probe's.</summary>
    private static async Task<int> CountTenantKeysAsync(DedicatedRedis redis, string prefix)
    {
        using var connection = TestRedis.Connect(redis.ConnectionString);
        var count = 0;
        await foreach (var key in connection.GetServer(connection.GetEndPoints()[0]).KeysAsync(pattern: prefix + "ratelimit:*"))
        {
            count += key.ToString().EndsWith(":probe", StringComparison.Ordinal) ? 0 : 1;
        }

        return count;
    }

    private static int Occurrences(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
