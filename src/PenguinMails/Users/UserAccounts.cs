using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Tenancy;

namespace PenguinMails.Users;

/// <summary>What adding a member did: <see cref="Password"/> is the new account's generated password (shown once), null when the account existed.</summary>
public sealed record AddedMember(Account Account, Membership Membership, string? Password);

/// <summary>
/// Who made a change and from where, as the audit log records it: <c>cli</c>, <c>user:EMAIL</c>, <c>api_key:IDENTIFIER</c>; the
/// client's IP and user agent when it came over HTTP.
/// </summary>
public sealed record ChangeActor(string Name, string? Ip, string? UserAgent = null)
{
    public static readonly ChangeActor Cli = new("cli", null);

    /// <summary><paramref name="name"/> acting through the request <paramref name="http"/> (its client address, after trusted proxies).</summary>
    public static ChangeActor Of(HttpContext http, string name)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new(name, http.Connection.RemoteIpAddress?.ToString(), agent.Length == 0 ? null : agent);
    }

    /// <summary>The portal user <paramref name="email"/> acting through <paramref name="http"/>.</summary>
    public static ChangeActor User(HttpContext http, string? email) => Of(http, $"user:{email}");
}

/// <summary>
/// Accounts and memberships, through ASP.NET Core Identity's UserManager (its hasher, validators, lockout counters).
/// Generated passwords are 20 characters from a 55-letter alphabet without look-alikes (≈ 115 bits), stored only hashed.
/// </summary>
public sealed class UserAccounts(AppDb db, UserManager<Account> users, TenantContext tenant, TimeProvider time)
{
    /// <summary>
    /// Adds a membership in the current tenant, creating the account (with a generated password) if the email has none;
    /// writes a <c>user.created</c> security event in the tenant with the actor.
    /// </summary>
    /// <exception cref="InvalidOperationException">the account is already a member of this tenant, or Identity refuses the address.</exception>
    public async Task<AddedMember> AddMemberAsync(string email, UserRole role, ChangeActor actor, CancellationToken ct)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("A member is added inside a tenant scope.");
        var now = time.GetUtcNow().UtcDateTime;
        var account = await users.FindByEmailAsync(email);
        string? password = null;
        if (account is null)
        {
            password = GeneratePassword();
            var address = email.Trim().ToLowerInvariant();
            account = new Account { Email = address, UserName = address, CreatedAt = now };
            Check(await users.CreateAsync(account, password));
        }
        else if (await db.Memberships.AnyAsync(m => m.AccountId == account.Id, ct))
        {
            throw new InvalidOperationException($"{account.Email} is already a member of this tenant.");
        }

        var membership = new Membership { AccountId = account.Id, TenantId = tenantId, Role = role, CreatedAt = now };
        db.Memberships.Add(membership);
        db.SecurityEvents.Add(SecurityEvent.Of(SecurityEventTypes.UserCreated, actor, now,
            $"{account.Email} ({role.ToString().ToLowerInvariant()}, {(password is null ? "existing account" : "new account")})"));
        await db.SaveChangesAsync(ct);
        return new AddedMember(account, membership, password);
    }

    /// <summary>
    /// Gives the account a new generated password and lifts any lockout; with <paramref name="disableTwoFactor"/> also turns
    /// two-factor off (a sole admin who lost their authenticator and recovery codes is not stuck). Null when no account has that email.
    /// </summary>
    public async Task<string?> ResetPasswordAsync(string email, bool disableTwoFactor = false)
    {
        var account = await users.FindByEmailAsync(email);
        return account is null ? null : await ResetPasswordAsync(account, disableTwoFactor);
    }

    /// <summary>
    /// Gives <paramref name="account"/> a new generated password and lifts any lockout (with <paramref name="disableTwoFactor"/>
    /// also turns two-factor off and forgets the authenticator key); returns the password.
    /// </summary>
    public async Task<string> ResetPasswordAsync(Account account, bool disableTwoFactor = false)
    {
        var password = GeneratePassword();
        Check(await users.RemovePasswordAsync(account));
        Check(await users.AddPasswordAsync(account, password));
        await UnlockAsync(account);
        if (disableTwoFactor && account.TwoFactorEnabled)
        {
            Check(await users.SetTwoFactorEnabledAsync(account, false));
            Check(await users.ResetAuthenticatorKeyAsync(account));
        }

        return password;
    }

    /// <summary>Lifts a lockout and clears the count of wrong passwords.</summary>
    public async Task UnlockAsync(Account account)
    {
        Check(await users.SetLockoutEndDateAsync(account, null));
        Check(await users.ResetAccessFailedCountAsync(account));
    }

    /// <summary>
    /// Whether <paramref name="value"/> is one plain address (name@domain, no display name), as accounts are keyed, that
    /// the installation's own mail (invitations, alerts) can reach: the one rule of <see cref="EmailAddresses.IsBareAddress"/>.
    /// </summary>
    public static bool IsAddress(string value) => EmailAddresses.IsBareAddress(value);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}
