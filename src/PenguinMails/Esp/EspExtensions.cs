using Microsoft.Extensions.Options;

namespace PenguinMails.Esp;

public static class EspExtensions
{
    /// <summary>Per-tenant delivery through Postmark or Mailgun, their event webhooks, and the settings behind both.</summary>
    public static IServiceCollection AddEsp(this IServiceCollection services)
    {
        services.AddSingleton<EspSecrets>();
        services.AddSingleton<EspConfigCache>();
        services.AddScoped<EspSettingsEditor>();
        services.AddScoped<EspEventRecorder>();
        services.AddSingleton<EspRefusals>();
        services.AddHostedService(sp => sp.GetRequiredService<EspRefusals>());
        // Redirects are not followed: an ESP's API answers where it is asked, and a credential never follows a Location.
        services.AddHttpClient(EspHttp.Client)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = TimeSpan.FromSeconds(Math.Max(1, sp.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.Esp.TimeoutSeconds)));
        return services;
    }
}
