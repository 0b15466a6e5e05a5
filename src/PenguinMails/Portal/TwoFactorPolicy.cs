using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Users;

namespace PenguinMails.Portal;

/// <summary>
/// <c>Portal:RequireTwoFactorForAdmins</c>: an admin of the current tenant whose account has no two-factor is sent to
/// set it up (<see cref="PortalPaths.Security"/>) before any page not marked <see cref="AllowedBeforeTwoFactorAttribute"/>.
/// The role is the current tenant's, so the same person is not forced while working as a developer elsewhere.
/// </summary>
public sealed class TwoFactorPolicy(AppDb db, IOptions<PenguinMailsOptions> options)
{
    public bool RequiredFor(PortalTenant? current) => options.Value.Portal.RequireTwoFactorForAdmins && current?.Role == UserRole.Admin;

    /// <summary>True when <paramref name="accountId"/> must set up two-factor before going on.</summary>
    public async Task<bool> MustSetUpAsync(Guid accountId, PortalTenant? current, CancellationToken ct) =>
        RequiredFor(current) && !await db.Accounts.Where(a => a.Id == accountId).Select(a => a.TwoFactorEnabled).FirstOrDefaultAsync(ct);
}

/// <summary>Marks a page an admin may open before setting up a required two-factor (the set-up itself, sign-out, the tenant choice).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AllowedBeforeTwoFactorAttribute : Attribute;
