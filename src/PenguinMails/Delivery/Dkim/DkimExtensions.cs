using Microsoft.Extensions.Options;

namespace PenguinMails.Delivery.Dkim;

public static class DkimExtensions
{
    /// <summary>The signer, with its key checked when the host starts rather than at the first send.</summary>
    public static IServiceCollection AddDkimSigning(this IServiceCollection services)
    {
        services.AddSingleton<DkimSigning>();
        services.AddSingleton<IValidateOptions<PenguinMailsOptions>, DkimOptionsValidator>();
        services.AddOptions<PenguinMailsOptions>().ValidateOnStart();
        return services;
    }

    private sealed class DkimOptionsValidator : IValidateOptions<PenguinMailsOptions>
    {
        public ValidateOptionsResult Validate(string? name, PenguinMailsOptions options)
        {
            if (!options.Dkim.Configured)
            {
                return ValidateOptionsResult.Success;
            }

            try
            {
                DkimKey.LoadPem(options.Dkim);
                return ValidateOptionsResult.Success;
            }
            catch (InvalidOperationException e)
            {
                return ValidateOptionsResult.Fail(e.Message);
            }
        }
    }
}
