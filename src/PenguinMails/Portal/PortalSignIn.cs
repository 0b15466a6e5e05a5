using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Portal;

/// <summary>
/// The last step of every sign-in (password alone, or password then a two-factor code): the portal's cookie with the
/// chosen tenant (the only one, or none yet when there are several) and a fresh sudo claim; and renewing the cookie
/// of a signed-in user after their security stamp changed (two-factor turned on or off), keeping tenant and sudo.
/// </summary>
public sealed class PortalSignIn(SignInManager<Users.Account> signIn, AppDb db, IOptions<PenguinMailsOptions> options, TimeProvider time,
    AccountEvents events)
{
    /// <summary>Shown when the account is locked, at sign-in and at the two-factor step alike.</summary>
    public string LockedOutMessage =>
        $"This account is locked after {options.Value.Portal.MaxFailedSignIns} wrong passwords in a row (two-factor codes count too). " +
        $"Try again in {options.Value.Portal.LockoutMinutes} minutes, reset your password by email, or ask an admin to reset it.";

    /// <summary>
    /// Signs <paramref name="account"/> in and records <c>auth.signed_in</c> with <paramref name="how"/> ("password", "password and
    /// authenticator code"); returns where to go next (<paramref name="returnUrl"/>, or the tenant choice first).
    /// </summary>
    public async Task<string> CompleteAsync(Users.Account account, string returnUrl, string how, HttpContext http)
    {
        var ct = http.RequestAborted;
        await events.RecordAsync(account, Audit.SecurityEventTypes.SignedIn, http, how);
        var tenants = await db.Memberships.IgnoreQueryFilters().Where(m => m.AccountId == account.Id).Select(m => m.TenantId).ToListAsync(ct);
        if (tenants.Count == 1)
        {
            await signIn.SignInWithClaimsAsync(account, isPersistent: false, [new Claim(PortalClaims.Tenant, tenants[0].ToString()), PortalSudo.Fresh(time)]);
            return returnUrl;
        }

        await signIn.SignInWithClaimsAsync(account, isPersistent: false, [PortalSudo.Fresh(time)]);
        return $"{PortalPaths.ChooseTenant}?returnUrl={Uri.EscapeDataString(returnUrl)}";
    }

    /// <summary>A new cookie for the signed-in <paramref name="user"/> after a stamp change: other sessions end, this one goes on.</summary>
    public Task RenewAsync(Users.Account account, ClaimsPrincipal user)
    {
        Claim[] tenant = user.FindFirst(PortalClaims.Tenant) is { } chosen ? [new Claim(PortalClaims.Tenant, chosen.Value)] : [];
        return signIn.SignInWithClaimsAsync(account, isPersistent: false, [.. tenant, .. PortalSudo.Carry(user)]);
    }
}
