using Microsoft.AspNetCore.Hosting;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.RateLimiting;

/// <summary>
/// The in-process server on SQLite with its rate limits in the shared test Redis (see <see cref="TestRedis"/>),
/// under a key prefix of its own. Fails at once, with the reason, when that Redis does not answer.
/// Redis calls may take longer here than in production (250 ms), so that a test host busy with other tests
/// does not fall back to local limits, which the fake clock would keep it on: falling back is the outage test's.
/// </summary>
public sealed class RedisFactory : PenguinMailsFactory
{
    public RedisFactory()
    {
        using var reachable = TestRedis.Connect();
    }

    public override string Provider => "sqlite";
    public override string ConnectionString => "";
    public string KeyPrefix { get; } = $"pmtest-{Guid.NewGuid():N}:";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("PenguinMails:Redis:ConnectionString", TestRedis.ConnectionString);
        builder.UseSetting("PenguinMails:Redis:KeyPrefix", KeyPrefix);
        builder.UseSetting("PenguinMails:Redis:TimeoutMilliseconds", "5000");
    }
}
