namespace PenguinMails.Campaigns;

public static class CampaignsExtensions
{
    /// <summary>Campaign editing and status changes, and the fan-out worker.</summary>
    public static IServiceCollection AddCampaigns(this IServiceCollection services)
    {
        services.AddScoped<CampaignEditor>();
        services.AddScoped<CampaignTransitions>();
        services.AddSingleton<CampaignSignal>();
        services.AddSingleton<CampaignLeases>();
        services.AddSingleton<CampaignFanOut>();
        services.AddHostedService<CampaignFanOutWorker>();
        return services;
    }
}
