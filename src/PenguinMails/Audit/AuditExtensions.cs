namespace PenguinMails.Audit;

public static class AuditExtensions
{
    /// <summary>The audit log's writers (queued events, IP-denial bursts) and its retention job; <c>PenguinMails:Audit</c> is checked at start.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddOptions<PenguinMailsOptions>()
            .Validate(o => o.Audit.RetentionDays >= 1, "PenguinMails:Audit:RetentionDays must be a whole number of days, at least 1.")
            .Validate(o => o.Audit.PruneIntervalMinutes > 0, "PenguinMails:Audit:PruneIntervalMinutes must be positive.")
            .Validate(o => o.Audit.PruneBatchSize >= 1, "PenguinMails:Audit:PruneBatchSize must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<SecurityEventWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<SecurityEventWriter>());
        services.AddSingleton<IpDenials>();
        services.AddHostedService(sp => sp.GetRequiredService<IpDenials>());
        services.AddSingleton<AuditRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditRetention>());
        return services;
    }
}
