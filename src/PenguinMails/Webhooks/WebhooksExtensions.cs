namespace PenguinMails.Webhooks;

public static class WebhooksExtensions
{
    /// <summary>Outbound webhooks: the outbox (an EF Core interceptor on AppDb, see Data/StorageExtensions), the dispatcher, the services the API and portal use.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        services.AddWebhookDocument();
        services.AddHttpContextAccessor();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<WebhookOutboxInterceptor>();
        services.AddSingleton<WebhookAddressPolicy>();
        services.AddSingleton<WebhookHttp>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookClaims>();
        services.AddSingleton<WebhookOutcomeWriter>();
        services.AddScoped<WebhookEndpoints>();
        services.AddScoped<WebhookDeliveryLog>();
        services.AddScoped<WebhookOutcomes>();
        services.AddScoped<WebhookDisabledAlert>();
        services.AddSingleton<WebhookRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookRetention>());
        services.AddHostedService<WebhookEndpointChangeFeed>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
