using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// The shipped configuration keeps Microsoft.AspNetCore at Warning, which drops the framework's own
/// request lines for every provider. This factory lets the test's log collector alone see them at Debug,
/// the way an operator turns them on while investigating, without changing what the server does.
/// </summary>
public sealed class FrameworkLogsFactory : PenguinMailsFactory
{
    public override string Provider => "sqlite";
    public override string ConnectionString => "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddFilter<LogCollector>("Microsoft.AspNetCore", LogLevel.Debug));
    }
}

public sealed class FrameworkLogScopeTests(FrameworkLogsFactory app) : IClassFixture<FrameworkLogsFactory>
{
    /// <summary>The lines logged in the scope of one successful GET /api/v1/me, found by its X-Request-Id.</summary>
    private async Task<List<LogCollector.LogLine>> LinesOfOneRequestAsync()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        var response = await app.Client(key).GetAsync("/api/v1/me");
        await response.DataAsync();
        var id = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        return app.Logs.Lines.Where(l => l.RequestId == id).ToList();
    }

    [Fact]
    public async Task RoutingLinesOfARequest_CarryItsRequestId()
    {
        var lines = await LinesOfOneRequestAsync();

        Assert.Contains(lines, l => l.Category == "Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware"
            && l.Message.StartsWith("Request matched endpoint", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Category == "Microsoft.AspNetCore.Routing.EndpointMiddleware"
            && l.Message.StartsWith("Executing endpoint", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Category == "Microsoft.AspNetCore.Routing.EndpointMiddleware"
            && l.Message.StartsWith("Executed endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuthorizationLineOfARequest_CarriesItsRequestId()
    {
        var lines = await LinesOfOneRequestAsync();

        Assert.Contains(lines, l => l.Category == "Microsoft.AspNetCore.Authorization.DefaultAuthorizationService"
            && l.Message.StartsWith("Authorization was successful", StringComparison.Ordinal));
    }
}
