using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PenguinMails;

/// <summary>Registers <see cref="PenguinMailsClient"/> as a typed client of IHttpClientFactory.</summary>
public static class PenguinMailsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PenguinMailsClient"/> (transient, on a pooled HttpClient from IHttpClientFactory, with
    /// <see cref="PenguinMailsRetryHandler"/>) and its <see cref="PenguinMailsClientOptions"/>. The
    /// <c>Authorization</c> header is redacted from the factory's logs. Returns the client's builder, so handlers of
    /// your own can be added.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; <see cref="PenguinMailsClientOptions.ApiKey"/> is required.</param>
    /// <returns>The HttpClient builder of the typed client.</returns>
    public static IHttpClientBuilder AddPenguinMailsClient(this IServiceCollection services, Action<PenguinMailsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PenguinMailsClientOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ApiKey), "PenguinMailsClientOptions.ApiKey is required.");
        return services
            .AddHttpClient(nameof(PenguinMailsClient))
            .AddTypedClient((http, sp) => new PenguinMailsClient(
                http, sp.GetRequiredService<IOptions<PenguinMailsClientOptions>>().Value, sp.GetService<TimeProvider>() ?? TimeProvider.System))
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(sp => new PenguinMailsRetryHandler(
                sp.GetRequiredService<IOptions<PenguinMailsClientOptions>>().Value, sp.GetService<TimeProvider>() ?? TimeProvider.System))
            .RedactLoggedHeaders(["Authorization"]);
    }
}
