using Microsoft.AspNetCore.Authorization;

namespace PenguinMails.Auth;

/// <summary>
/// What an endpoint demands of the caller, declared where it is mapped. The all-endpoints test reads this
/// metadata: an endpoint with none of it fails the build's tests.
/// </summary>
public sealed record PermissionDeclaration(string? Permission)
{
    public static readonly PermissionDeclaration AnyKey = new((string?)null);
}

public static class PermissionEndpointExtensions
{
    public const string PolicyPrefix = "permission:";
    public const string AnyKeyPolicy = "api_key";

    /// <summary>Only keys holding <paramref name="permission"/> (or admin:full) may call this endpoint.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, string permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyPrefix + permission).WithMetadata(new PermissionDeclaration(permission));

    /// <summary>Any valid key may call this endpoint, whatever its permissions.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AnyKeyPolicy).WithMetadata(PermissionDeclaration.AnyKey);
}

/// <summary>A key must hold this permission, or admin:full.</summary>
public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

internal sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (ApiKeys.Permissions.Grants(ApiKeyPrincipal.PermissionsOf(context.User), requirement.Permission))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
