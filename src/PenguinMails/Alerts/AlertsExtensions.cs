namespace PenguinMails.Alerts;

public static class AlertsExtensions
{
    /// <summary>The alert job and its checks; an alert of a new kind is one more <see cref="IAlertCheck"/> here.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddScoped<AlertOutbox>();
        services.AddScoped<AlertRecipients>();
        services.AddScoped<IAlertCheck, KeyExpiryAlerts>();
        services.AddScoped<IAlertCheck, RateLimitAlerts>();
        services.AddScoped<IAlertCheck, IpViolationAlerts>();
        services.AddScoped<IAlertCheck, ErrorRateAlerts>();
        services.AddSingleton<AlertJob>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertJob>());
        services.AddSingleton<AlertOccurrenceRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertOccurrenceRetention>());
        return services;
    }
}
