using Microsoft.AspNetCore.Identity;
using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Users;

/// <summary>
/// The members of the current tenant and the changes an admin makes to them, each saved with a security event
/// (actor, IP, what changed). Rules: a tenant keeps at least one admin (its last admin can be neither removed nor
/// demoted); another admin's password and lockout are the CLI's alone (<c>users reset-password</c>), so from here only
/// developers are reset or unlocked. Membership ids of another tenant are invisible (the tenant query filter): null.
/// </summary>
public sealed class Team(AppDb db, UserAccounts accounts, UserManager<Account> users, TenantContext tenant, TimeProvider time)
{
    public const string LastAdmin = "This is the tenant's only admin: make another member an admin first.";
    public const string AdminsByCli = "Another admin's password is reset (and unlocked) only by an operator on the server: penguinmails users reset-password --email ADDRESS.";

    public Task<List<TeamMember>> ListAsync(CancellationToken ct) => ReadAsync(null, ct);

    public async Task<TeamMember?> FindAsync(Guid id, CancellationToken ct) => (await ReadAsync(id, ct)).SingleOrDefault();

    /// <exception cref="TeamRuleException">the member is the last admin and <paramref name="role"/> is developer.</exception>
    public async Task ChangeRoleAsync(TeamMember member, UserRole role, ChangeActor actor, CancellationToken ct)
    {
        if (member.Role == role)
        {
            return;
        }

        await InTenantLockAsync(async () =>
        {
            await RefuseLastAdminAsync(member, ct);
            await db.Memberships.Where(m => m.Id == member.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, role), ct);
            Record(SecurityEventTypes.UserRoleChanged, actor, $"{member.Email}: {Name(member.Role)} → {Name(role)}");
        }, ct);
    }

    /// <summary>Ends the membership: the account's next request to this tenant is refused; its other tenants are untouched.</summary>
    /// <exception cref="TeamRuleException">the member is the last admin.</exception>
    public Task RemoveAsync(TeamMember member, ChangeActor actor, CancellationToken ct) =>
        InTenantLockAsync(async () =>
        {
            await RefuseLastAdminAsync(member, ct);
            await db.Memberships.Where(m => m.Id == member.Id).ExecuteDeleteAsync(ct);
            Record(SecurityEventTypes.UserRemoved, actor, $"{member.Email} ({Name(member.Role)})");
        }, ct);

    /// <summary>A new generated password for a developer (returned, to be shown once); also unlocks.</summary>
    /// <exception cref="TeamRuleException">the member is an admin.</exception>
    public async Task<string> ResetPasswordAsync(TeamMember member, ChangeActor actor, CancellationToken ct)
    {
        var account = await DeveloperAccountAsync(member);
        var password = await accounts.ResetPasswordAsync(account);
        Record(SecurityEventTypes.UserPasswordReset, actor, member.Email);
        await db.SaveChangesAsync(ct);
        return password;
    }

    /// <exception cref="TeamRuleException">the member is an admin.</exception>
    public async Task UnlockAsync(TeamMember member, ChangeActor actor, CancellationToken ct)
    {
        await accounts.UnlockAsync(await DeveloperAccountAsync(member));
        Record(SecurityEventTypes.UserUnlocked, actor, member.Email);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The tenant's members (or the one with <paramref name="id"/>), oldest first; a lockout already over reads as none.</summary>
    private async Task<List<TeamMember>> ReadAsync(Guid? id, CancellationToken ct)
    {
        var rows = await db.Memberships.Where(m => id == null || m.Id == id)
            .Join(db.Users, m => m.AccountId, a => a.Id, (m, a) => new { m.Id, AccountId = a.Id, a.Email, m.Role, m.CreatedAt, a.LockoutEnd, a.TwoFactorEnabled })
            .OrderBy(m => m.CreatedAt).ToListAsync(ct);
        var now = time.GetUtcNow();
        return rows.Select(m => new TeamMember(m.Id, m.AccountId, m.Email ?? "", m.Role, m.CreatedAt,
            m.LockoutEnd > now ? m.LockoutEnd.Value.UtcDateTime : null, m.TwoFactorEnabled)).ToList();
    }

    private async Task<Account> DeveloperAccountAsync(TeamMember member)
    {
        if (member.Role == UserRole.Admin)
        {
            throw new TeamRuleException(AdminsByCli);
        }

        return await users.FindByIdAsync(member.AccountId.ToString()) ?? throw new TeamRuleException("This account no longer exists.");
    }

    /// <summary>Whether <paramref name="member"/> is (now) the tenant's only admin.</summary>
    public async Task<bool> IsLastAdminAsync(TeamMember member, CancellationToken ct) =>
        await db.Memberships.AnyAsync(m => m.Id == member.Id && m.Role == UserRole.Admin, ct)
        && !await db.Memberships.AnyAsync(m => m.Role == UserRole.Admin && m.Id != member.Id, ct);

    private async Task RefuseLastAdminAsync(TeamMember member, CancellationToken ct)
    {
        if (await IsLastAdminAsync(member, ct))
        {
            throw new TeamRuleException(LastAdmin);
        }
    }

    /// <summary>
    /// Runs a change to the tenant's admins in a transaction that first writes the tenant's row (a no-op update): two
    /// admins demoting each other at once are serialized on that row lock, so neither can leave the tenant without one.
    /// </summary>
    private async Task InTenantLockAsync(Func<Task> change, CancellationToken ct)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("Team changes happen inside a tenant scope.");
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Tenants.Where(t => t.Id == tenantId).ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, t => t.Name), ct);
        await change();
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private void Record(string type, ChangeActor actor, string detail) =>
        db.SecurityEvents.Add(SecurityEvent.Of(type, actor, time.GetUtcNow().UtcDateTime, detail));

    private static string Name(UserRole role) => role.ToString().ToLowerInvariant();
}
