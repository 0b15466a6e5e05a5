using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiUsage;
using PenguinMails.Data;
using PenguinMails.RateLimiting;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.ApiUsage;

/// <summary>
/// A server on the test's database whose requests take the time a test says (X-Test-Latency-Ms moves the shared
/// clock as the answer starts, inside the request log's measurement), and the helpers to write what was buffered.
/// </summary>
internal static class UsageKit
{
    public const string LatencyHeader = "X-Test-Latency-Ms";

    public static WebApplicationFactory<Program> WithLatency(PenguinMailsFactory app) =>
        app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new LatencyFilter(app))));

    public static HttpClient Client(WebApplicationFactory<Program> server, string key)
    {
        var client = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Writes the rate limiter's minutes and the request log until the tenant has <paramref name="rows"/> logged requests.</summary>
    public static async Task FlushAsync(IServiceProvider services, PenguinMailsFactory app, Guid tenant, int rows)
    {
        await services.GetRequiredService<RateLimitUsageRecorder>().FlushAsync(final: true, default);
        var log = services.GetRequiredService<ApiRequestLog>();
        await PenguinMailsFactory.Eventually(async () =>
        {
            await log.FlushAsync(default);
            return await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiRequests.CountAsync()) == rows;
        }, $"{rows} requests are in the log");
    }

    public static DateTime NextMinute(PenguinMailsFactory app)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(1);
    }

    public static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class LatencyFilter(PenguinMailsFactory app) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use(async (context, nextMiddleware) =>
            {
                if (int.TryParse(context.Request.Headers[LatencyHeader], out var ms) && ms > 0)
                {
                    context.Response.OnStarting(() =>
                    {
                        app.Clock.Advance(TimeSpan.FromMilliseconds(ms));
                        return Task.CompletedTask;
                    });
                }

                await nextMiddleware();
            });
            next(builder);
        };
    }
}
