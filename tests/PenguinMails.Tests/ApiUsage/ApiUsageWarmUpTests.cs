using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.ApiUsage;

/// <summary>
/// <c>ApiUsage:WarmUpOnStart</c> (on by default, off in the other tests' factories): the server computes the usage
/// figures of the first tenant before it takes requests; it starts, and the first real query answers from a cold cache.
/// </summary>
public abstract class ApiUsageWarmUpTests
{
    private readonly PenguinMailsFactory _app;

    protected ApiUsageWarmUpTests(PenguinMailsFactory app)
    {
        _app = app;
        app.Settings["PenguinMails:ApiUsage:WarmUpOnStart"] = "true";
    }

    [Fact]
    public async Task ServerWithWarmUp_Starts_AndAnswersTheFirstUsageQueryUncached()
    {
        var tenant = await _app.CreateTenantAsync();
        var (key, _) = await _app.CreateKeyAsync(tenant, [Permissions.AnalyticsRead]);

        var body = await (await _app.Client(key).GetAsync("/api/v1/tenant/analytics/api-usage?range=30d")).BodyAsync();

        Assert.Equal(0, body["data"]!["total_requests"]!.GetValue<long>());
        Assert.False(body["meta"]!["cached"]!.GetValue<bool>());
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }
}

public sealed class ApiUsageWarmUpSqliteTests(SqliteFactory app) : ApiUsageWarmUpTests(app), IClassFixture<SqliteFactory>;

public sealed class ApiUsageWarmUpPostgresTests(PostgresFactory app) : ApiUsageWarmUpTests(app), IClassFixture<PostgresFactory>;
