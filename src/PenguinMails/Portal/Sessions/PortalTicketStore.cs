using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Portal.Sessions;

/// <summary>
/// Server-side portal sessions (the cookie handler's <see cref="ITicketStore"/>): the <c>pm_portal</c> cookie carries a
/// random 256-bit key, and the session itself is a <see cref="PortalSessionRecord"/>. So a session ends on the server,
/// at once and on every node:
/// <list type="bullet">
/// <item>signing out deletes it: a copy of the cookie taken before is refused (OWASP Session Management Cheat Sheet,
/// "Session Expiration": the session must be invalidated on the server on log out);</item>
/// <item>a change of the account's security stamp — password changed or reset (by the user, an admin or the
/// <c>users reset-password</c> command), two-factor turned on or off — ends every session issued before it; the one
/// that made the change is renewed with the new stamp (<see cref="PortalSignIn.RenewAsync"/>);</item>
/// <item>deleting the account deletes its sessions.</item>
/// </list>
/// Identity's own stamp check (every 30 minutes) still refreshes the claims of a session that goes on.
/// </summary>
public sealed class PortalTicketStore(
    IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider time, IOptions<IdentityOptions> identity) : ITicketStore
{
    private readonly IDataProtector _protector = protection.CreateProtector("PenguinMails.Portal.Sessions");

    /// <summary>Stores a new session for <paramref name="ticket"/>; returns its key (43 base64url characters).</summary>
    public async Task<string> StoreAsync(AuthenticationTicket ticket) => await StoreAsync(ticket, CancellationToken.None);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        await StoreAsync(ticket, cancellationToken);

    private async Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken ct)
    {
        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var (account, stamp) = Owner(ticket);
        db.PortalSessions.Add(new PortalSessionRecord
        {
            KeyHash = Hash(key),
            AccountId = account,
            SecurityStamp = stamp,
            Ticket = Protect(ticket),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ExpiresAt = Expiry(ticket),
        });
        await db.SaveChangesAsync(ct);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken) =>
        RenewAsync(key, ticket, cancellationToken);

    /// <summary>Replaces the session's ticket (a sliding renewal, or a sign-in again in the same session); a session deleted meanwhile stays deleted.</summary>
    private async Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var (account, stamp) = Owner(ticket);
        var protectedTicket = Protect(ticket);
        var expires = Expiry(ticket);
        var hash = Hash(key);
        await db.PortalSessions.Where(s => s.KeyHash == hash).ExecuteUpdateAsync(set => set
            .SetProperty(s => s.AccountId, account)
            .SetProperty(s => s.SecurityStamp, stamp)
            .SetProperty(s => s.Ticket, protectedTicket)
            .SetProperty(s => s.ExpiresAt, expires), ct);
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, CancellationToken.None);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) =>
        RetrieveAsync(key, cancellationToken);

    /// <summary>The session's ticket; null (signed out) when the session was deleted, expired, or issued before the account's current security stamp.</summary>
    private async Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var hash = Hash(key);
        var now = time.GetUtcNow().UtcDateTime;
        var ticket = await db.PortalSessions
            .Where(s => s.KeyHash == hash && s.ExpiresAt > now)
            .Where(s => db.Accounts.Any(a => a.Id == s.AccountId && a.SecurityStamp == s.SecurityStamp))
            .Select(s => s.Ticket)
            .FirstOrDefaultAsync(ct);
        if (ticket is null)
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(ticket));
        }
        catch (CryptographicException)
        {
            return null; // the data protection key it was protected with is gone: the session ends, as a cookie's would
        }
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, CancellationToken.None);

    public Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken) => RemoveAsync(key, cancellationToken);

    private async Task RemoveAsync(string key, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var hash = Hash(key);
        await db.PortalSessions.Where(s => s.KeyHash == hash).ExecuteDeleteAsync(ct);
    }

    private (Guid Account, string Stamp) Owner(AuthenticationTicket ticket)
    {
        var claims = identity.Value.ClaimsIdentity;
        var id = ticket.Principal.FindFirstValue(claims.UserIdClaimType);
        var stamp = ticket.Principal.FindFirstValue(claims.SecurityStampClaimType);
        return Guid.TryParse(id, out var account) && stamp is not null
            ? (account, stamp)
            : throw new InvalidOperationException("A portal session's ticket names no account or security stamp.");
    }

    private DateTime Expiry(AuthenticationTicket ticket) =>
        (ticket.Properties.ExpiresUtc ?? time.GetUtcNow().AddDays(1)).UtcDateTime;

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
}
