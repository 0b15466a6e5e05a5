using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Portal;

/// <summary>
/// Security events about an account itself (a password reset, two-factor turned on or off, a recovery code used).
/// An account belongs to no tenant, so the event is written into the security log of every tenant it is a member of,
/// where that tenant's admins see it; an account with no membership leaves none. Written before the page answers.
/// </summary>
public sealed class AccountEvents(AppDb db, IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Records <paramref name="type"/> (<see cref="SecurityEventTypes"/>) for <paramref name="account"/>, from the request's client address.</summary>
    public async Task RecordAsync(Users.Account account, string type, HttpContext http, string? detail = null)
    {
        var ct = http.RequestAborted;
        var tenants = await db.Memberships.IgnoreQueryFilters().Where(m => m.AccountId == account.Id).Select(m => m.TenantId).ToListAsync(ct);
        foreach (var tenantId in tenants)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantId);
            var tenantDb = scope.ServiceProvider.GetRequiredService<AppDb>();
            tenantDb.SecurityEvents.Add(new SecurityEvent
            {
                TenantId = tenantId, Type = type, Actor = account.Email ?? account.Id.ToString(),
                IpAddress = http.Connection.RemoteIpAddress?.ToString(), Detail = detail, OccurredAt = time.GetUtcNow().UtcDateTime,
            });
            await tenantDb.SaveChangesAsync(ct);
        }
    }
}
