using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace PenguinMails.Auth;

/// <summary>Builds "permission:contacts:read" policies on demand instead of registering one per permission.</summary>
internal sealed class PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    /// <summary>
    /// A policy is a pure function of its name and the options fixed at start-up, so the authorization middleware may
    /// combine each endpoint's policies once and keep them. The base class allows that only for itself, not for a
    /// subclass: without this, every request built its policy afresh.
    /// </summary>
    public override bool AllowsCachingPolicies => true;

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (policyName.StartsWith(PermissionEndpointExtensions.PolicyPrefix, StringComparison.Ordinal))
        {
            return new AuthorizationPolicyBuilder(ApiKeyPrincipal.Scheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new PermissionRequirement(policyName[PermissionEndpointExtensions.PolicyPrefix.Length..]))
                .Build();
        }

        return await base.GetPolicyAsync(policyName);
    }
}
