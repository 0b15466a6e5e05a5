using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.ApiUsage;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.ApiUsage;

/// <summary>
/// A buffer of two and a stalled writer: every request is answered all the same, the third and later are dropped
/// and counted in <c>meta.dropped_requests</c>, and the two buffered ones are written once the writer resumes.
/// </summary>
public abstract class BufferFullTests
{
    private readonly PenguinMailsFactory _app;

    protected BufferFullTests(PenguinMailsFactory app)
    {
        _app = app;
        app.Settings["PenguinMails:ApiUsage:BufferCapacity"] = "2";
    }

    [Fact]
    public async Task FullBuffer_DropsAndCounts_NeverFailsARequest()
    {
        var tenant = await _app.CreateTenantAsync();
        var (key, _) = await _app.CreateKeyAsync(tenant, [Permissions.ContactsRead, Permissions.AnalyticsRead]);
        var log = _app.Services.GetRequiredService<ApiRequestLog>();
        var before = log.Dropped;
        using (await log.HoldWritesAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(200, (int)(await _app.Client(key).GetAsync("/api/v1/contacts")).StatusCode);
            }

            await PenguinMailsFactory.Eventually(() => Task.FromResult(log.Dropped - before == 3), "three requests are dropped");
        }

        await UsageKit.FlushAsync(_app.Services, _app, tenant, 2);
        var body = await (await _app.Client(key).GetAsync("/api/v1/tenant/analytics/api-usage?range=1h")).BodyAsync();
        Assert.Equal(before + 3, body["meta"]!["dropped_requests"]!.GetValue<long>());
        Assert.Equal(2, body["data"]!["total_requests"]!.GetValue<long>());
    }
}

public sealed class BufferFullSqliteTests(SqliteFactory app) : BufferFullTests(app), IClassFixture<SqliteFactory>;

public sealed class BufferFullPostgresTests(PostgresFactory app) : BufferFullTests(app), IClassFixture<PostgresFactory>;
