using Microsoft.Extensions.Options;

namespace PenguinMails.Bounces;

public static class BouncesExtensions
{
    /// <summary>VERP return paths, the report intake, and the mailbox reader (a hosted job, idle while no mailbox is configured).</summary>
    public static IServiceCollection AddBounces(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PenguinMailsOptions>>().Value;
            return new VerpTokens(Secrets.SecretFile.Load(options, options.Bounces.TokenSecret, "PenguinMails:Bounces:TokenSecret", "bounce-verp.key", 32, 32));
        });
        services.AddSingleton<ReturnPaths>();
        services.AddSingleton<BounceIntake>();
        services.AddSingleton<BounceMailboxLeases>();
        services.AddSingleton<ImapBounceReader>();
        services.AddSingleton<Pop3BounceReader>();
        services.AddSingleton<BounceMailboxJob>();
        services.AddHostedService(sp => sp.GetRequiredService<BounceMailboxJob>());
        services.AddSingleton<BounceMailRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<BounceMailRetention>());
        return services;
    }
}
