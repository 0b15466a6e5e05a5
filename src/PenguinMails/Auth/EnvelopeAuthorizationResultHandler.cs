using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PenguinMails.Http;

namespace PenguinMails.Auth;

/// <summary>A 403 for a missing permission names the permission, in the error envelope.</summary>
internal sealed class EnvelopeAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (context.GetEndpoint() is null && Portal.PortalPaths.IsPortal(context.Request.Path))
        {
            return next(context); // no such page: the portal answers its HTML 404, whoever asks
        }

        if (!authorizeResult.Forbidden || Portal.PortalPaths.IsPortal(context.Request.Path))
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<PermissionRequirement>()
            .Select(r => r.Permission).ToList() ?? [];
        var details = missing.Select(p => new ErrorDetail(null, $"This endpoint requires the '{p}' permission.") { Permission = p })
            .ToList();
        return ErrorWriter.WriteAsync(context, ErrorCodes.InsufficientPermissions, null, details);
    }
}
