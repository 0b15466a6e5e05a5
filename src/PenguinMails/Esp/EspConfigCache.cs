using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Esp;

/// <summary>A tenant's transport with its credentials in clear, in memory only, for the dispatcher's workers.</summary>
public sealed record EspConfig(string Transport, string? PostmarkToken, string PostmarkStream, string? MailgunApiKey,
    string? MailgunDomain, string MailgunRegion)
{
    public static readonly EspConfig Smtp = new(EspTransports.Smtp, null, "outbound", null, null, "us");
}

/// <summary>
/// Each tenant's transport, read from <c>esp_settings</c> and kept <see cref="EspOptions.SettingsCacheSeconds"/> on the
/// injected clock: a change made on this node applies to the next message (<see cref="Invalidate"/>), one made on
/// another node within that delay. A tenant without a row uses the server's relay.
/// </summary>
public sealed class EspConfigCache(IServiceScopeFactory scopes, IOptions<PenguinMailsOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, (EspConfig Config, DateTimeOffset Until)> _cache = new();

    public async Task<EspConfig> GetAsync(Guid tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(tenantId, out var cached) && cached.Until > now)
        {
            return cached.Config;
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantId);
        var row = await scope.ServiceProvider.GetRequiredService<AppDb>().EspSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        var secrets = scope.ServiceProvider.GetRequiredService<EspSecrets>();
        var config = row is null ? EspConfig.Smtp : new EspConfig(row.Transport, secrets.UnprotectOrNull(row.PostmarkServerToken),
            row.PostmarkMessageStream, secrets.UnprotectOrNull(row.MailgunApiKey), row.MailgunDomain, row.MailgunRegion);
        _cache[tenantId] = (config, now.AddSeconds(options.Value.Esp.SettingsCacheSeconds));
        return config;
    }

    public void Invalidate(Guid tenantId) => _cache.TryRemove(tenantId, out _);
}
