using PenguinMails.Tenancy;
using PenguinMails.Users;

namespace PenguinMails.Data;

/// <summary>
/// On first start with an empty database: a default tenant and its admin, whose generated password is
/// printed once to the console (never to the log).
/// </summary>
public sealed class FirstRunSeeder(AppDb db, TenantContext tenant, UserAccounts accounts, TimeProvider time)
{
    public const string DefaultTenantSlug = "default";
    public const string DefaultAdminEmail = "admin@penguinmails.local";

    public async Task SeedAsync(TextWriter console, CancellationToken ct)
    {
        if (await db.Tenants.AnyAsync(ct))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var created = new Tenant { Name = "Default", Slug = DefaultTenantSlug, CreatedAt = now, UpdatedAt = now };
        db.Tenants.Add(created);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return; // another node seeded first
        }

        tenant.Enter(created.Id);
        var (_, password) = await accounts.CreateAsync(DefaultAdminEmail, UserRole.Admin, ct);
        await console.WriteLineAsync($"""

            PenguinMails created the tenant '{DefaultTenantSlug}' and its admin user.
              email:    {DefaultAdminEmail}
              password: {password}
            This password is shown only this once.
            Create an API key:  penguinmails keys create --tenant {DefaultTenantSlug} --name "My app" --preset full_access

            """);
    }
}
