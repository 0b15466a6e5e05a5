namespace PenguinMails.Domains;

public static class DomainsExtensions
{
    /// <summary>Sending domains: DNS checks, keys, the sender rule and the periodic recheck.</summary>
    public static IServiceCollection AddDomains(this IServiceCollection services)
    {
        services.AddSingleton<DnsChecker>();
        services.AddSingleton<DkimKeys>();
        services.AddScoped<DomainRegistry>();
        services.AddScoped<DomainHolds>();
        services.AddScoped<DomainVerifier>();
        services.AddScoped<DomainFailureAlert>();
        services.AddScoped<SenderDomains>();
        services.AddSingleton<DomainRecheckJob>();
        services.AddHostedService(sp => sp.GetRequiredService<DomainRecheckJob>());
        return services;
    }
}
