using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using PenguinMails.ApiKeys;

namespace PenguinMails.Auth;

public static class AuthExtensions
{
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ApiKeyHasher(ApiKeyHasher.LoadSecret(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PenguinMailsOptions>>().Value)));
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<ApiKeyVerifier>();
        services.AddHostedService<ApiKeyChangeFeed>();

        services.AddAuthentication(ApiKeyPrincipal.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyPrincipal.Scheme, null);
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, EnvelopeAuthorizationResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(PermissionEndpointExtensions.AnyKeyPolicy, p => p.AddAuthenticationSchemes(ApiKeyPrincipal.Scheme).RequireAuthenticatedUser())
            // An endpoint that declares nothing still needs a key; the all-endpoints test makes the omission fail.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyPrincipal.Scheme).RequireAuthenticatedUser().Build());
        return services;
    }
}
