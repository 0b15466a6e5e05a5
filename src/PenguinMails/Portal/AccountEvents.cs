using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Tenancy;
using PenguinMails.Users;

namespace PenguinMails.Portal;

/// <summary>
/// Audit-log entries about an account itself: sign-ins, wrong passwords and codes, lockouts, sudo confirmations, password
/// and two-factor changes. An account belongs to no tenant, so the entry is written into the log of every tenant it is a
/// member of, where that tenant's admins see it; an account with no membership, or an address with no account, leaves
/// none (nothing ties it to a tenant). Written before the page answers, and even if the client has gone by then: an
/// attacker hanging up must not erase the trace of a wrong password.
/// </summary>
public sealed class AccountEvents(AppDb db, IServiceScopeFactory scopes, UserManager<Users.Account> users, TimeProvider time,
    IOptions<PenguinMailsOptions> options)
{
    /// <summary>Records <paramref name="type"/> (<see cref="SecurityEventTypes"/>) for <paramref name="account"/>, acting through <paramref name="http"/>.</summary>
    public Task RecordAsync(Users.Account account, string type, HttpContext http, string? detail = null) =>
        RecordAsync(account, type, ChangeActor.User(http, account.Email ?? account.Id.ToString()), detail);

    /// <summary>Records <paramref name="type"/> about <paramref name="account"/>, done by <paramref name="by"/> (the account itself, or <c>cli</c>).</summary>
    public async Task RecordAsync(Users.Account account, string type, ChangeActor by, string? detail = null)
    {
        var tenants = await db.Memberships.IgnoreQueryFilters().Where(m => m.AccountId == account.Id).Select(m => m.TenantId)
            .ToListAsync(CancellationToken.None);
        foreach (var tenantId in tenants)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantId);
            var tenantDb = scope.ServiceProvider.GetRequiredService<AppDb>();
            tenantDb.SecurityEvents.Add(SecurityEvent.Of(type, by, time.GetUtcNow().UtcDateTime, detail));
            await tenantDb.SaveChangesAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// A wrong password or code just counted against <paramref name="account"/>: <paramref name="type"/> with what was wrong
    /// and the count, then <see cref="SecurityEventTypes.LockedOut"/> when this failure locked it. Attempts on an account
    /// already locked are neither checked nor recorded (callers skip them), so a flood of guesses leaves at most
    /// <c>MaxFailedSignIns</c> failures and one lockout per account and lockout period.
    /// </summary>
    public async Task RecordFailureAsync(Users.Account account, string type, string what, HttpContext http)
    {
        var max = options.Value.Portal.MaxFailedSignIns;
        if (await users.IsLockedOutAsync(account))
        {
            await RecordAsync(account, type, http, $"{what} ({max} of {max})");
            var until = (await users.GetLockoutEndDateAsync(account))?.UtcDateTime;
            await RecordAsync(account, SecurityEventTypes.LockedOut, http,
                $"locked after {max} wrong passwords or codes in a row, until {until:yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'}");
            return;
        }

        await RecordAsync(account, type, http, $"{what} ({await users.GetAccessFailedCountAsync(account)} of {max})");
    }
}
