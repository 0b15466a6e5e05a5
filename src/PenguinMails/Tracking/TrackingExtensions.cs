using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;

namespace PenguinMails.Tracking;

public static class TrackingExtensions
{
    /// <summary>Link tokens, client hashes (both keyed from the server secret), the bounded event writer and its metric.</summary>
    public static IServiceCollection AddTracking(this IServiceCollection services)
    {
        services.AddSingleton(sp => new TrackingTokens(ApiKeyHasher.LoadSecret(sp.GetRequiredService<IOptions<PenguinMailsOptions>>().Value)));
        services.AddSingleton(sp => new ClientAddresses(ApiKeyHasher.LoadSecret(sp.GetRequiredService<IOptions<PenguinMailsOptions>>().Value)));
        services.AddSingleton<TrackingMetrics>();
        services.AddScoped<TrackingEvents>();
        return services;
    }
}
