using System.Security.Claims;

namespace PenguinMails.Portal;

/// <summary>What the portal's cookie carries besides Identity's own claims: the tenant the user chose.</summary>
public static class PortalClaims
{
    public const string Tenant = "pm_tenant";

    public static Guid? TenantOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Tenant), out var id) ? id : null;
}
