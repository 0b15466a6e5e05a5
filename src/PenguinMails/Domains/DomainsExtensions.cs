namespace PenguinMails.Domains;

public static class DomainsExtensions
{
    /// <summary>Sending domains: DNS checks, keys, the sender rule and the periodic recheck.</summary>
    public static IServiceCollection AddDomains(this IServiceCollection services)
    {
        // A resolver that is not an address stops the start with the setting's name, rather than failing each check later.
        services.AddOptions<PenguinMailsOptions>()
            .Validate(o => o.Domains.DnsServers.Where(s => !string.IsNullOrWhiteSpace(s)).All(s => DnsChecker.TryParse(s, out _)),
                "PenguinMails:Domains:DnsServers: every entry must be an IP address or IP:port, such as 127.0.0.1:53 or [::1]:53.")
            .ValidateOnStart();
        services.AddSingleton<DnsChecker>();
        services.AddSingleton<DkimKeys>();
        services.AddScoped<DomainRegistry>();
        services.AddScoped<DomainHolds>();
        services.AddScoped<DomainVerifier>();
        services.AddScoped<DomainFailureAlert>();
        services.AddScoped<SenderDomains>();
        services.AddSingleton<VerifiedDomainCache>();
        services.AddSingleton<SendingDomainChanges>();
        services.AddSingleton<DomainRecheckJob>();
        services.AddHostedService(sp => sp.GetRequiredService<DomainRecheckJob>());
        return services;
    }
}
