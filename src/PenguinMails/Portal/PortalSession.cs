using PenguinMails.Users;

namespace PenguinMails.Portal;

/// <summary>One tenant the signed-in account belongs to, as the tenant switcher lists it.</summary>
public sealed record PortalTenant(Guid Id, string Name, string Slug, UserRole Role);

/// <summary>
/// The signed-in user of the current page request (scoped): filled by <see cref="PortalTenantFilter"/> before a page
/// handler runs; <see cref="Current"/> is null until a tenant is chosen.
/// </summary>
public sealed class PortalSession
{
    public string Email { get; set; } = "";
    public IReadOnlyList<PortalTenant> Tenants { get; set; } = [];
    public PortalTenant? Current { get; set; }
}

/// <summary>Marks a page that works before a tenant is chosen (sign-in, choosing a tenant, changing one's password).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NoTenantRequiredAttribute : Attribute;
