using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.ApiUsage;

/// <summary>
/// Computes the usage figures of the first tenant's last 30 days once, before the server takes requests, so
/// that the first real usage query of a new process — the one behind a cold cache — does not also pay EF Core's
/// compilation of its dozen queries, their JIT and the answer's serializer metadata (about 300 ms here: bench/api-usage.sh). The two query shapes warmed,
/// without a filter and with a key, are the usage page's; other filters compile on first use.
/// <c>ApiUsage:WarmUpOnStart</c> (default true) turns it off.
/// </summary>
internal static class ApiUsageWarmUp
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        if (await db.Tenants.AsNoTracking().OrderBy(t => t.CreatedAt).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct) is not { } tenant)
        {
            return;
        }

        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant);
        var usage = scope.ServiceProvider.GetRequiredService<ApiUsageService>();
        // The first tenant's real last 30 days: the code runs over rows, as the first real query's will.
        var month = UsageWindow.Relative("30d", scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var view = await usage.ComputeAsync(month, new UsageFilter(null, null, null, null, null), ct);
        await usage.ComputeAsync(month, new UsageFilter(Guid.Empty, null, null, null, null), ct);
        var json = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>();
        System.Text.Json.JsonSerializer.Serialize(new UsageEnvelope(view, new UsageMeta("warm-up", DateTime.UnixEpoch, false, 60, 0)),
            json.Value.SerializerOptions); // the answer's serializer metadata, built once per type

    }
}
