using PenguinMails.Tenancy;
using PenguinMails.Users;

namespace PenguinMails.Data;

/// <summary>
/// On first start with an empty database: a default tenant, whose sends without <c>from</c> go out as
/// <see cref="DefaultSender"/> (DECISIONS.md "Sending": the quick start sends into the local outbox out of the box),
/// and its admin, whose generated password is printed once to the console (never to the log), with the command
/// that creates an API key from where the server was started.
/// </summary>
public sealed class FirstRunSeeder(AppDb db, TenantContext tenant, UserAccounts accounts, TimeProvider time)
{
    public const string DefaultTenantSlug = "default";
    public const string DefaultAdminEmail = "admin@penguinmails.local";
    public const string DefaultSender = "PenguinMails <noreply@localhost>";

    public async Task SeedAsync(TextWriter console, string signInUrl, CancellationToken ct)
    {
        if (await db.Tenants.AnyAsync(ct))
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var created = new Tenant
        {
            Name = "Default", Slug = DefaultTenantSlug, DefaultFrom = DefaultSender, CreatedAt = now, UpdatedAt = now,
        };
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
        var added = await accounts.AddMemberAsync(DefaultAdminEmail, UserRole.Admin, new ChangeActor("first-start", null), ct);
        await console.WriteLineAsync($"""

            PenguinMails created the tenant '{DefaultTenantSlug}' and its admin user.
              email:    {DefaultAdminEmail}
              password: {added.Password}
            This password is shown only this once. Sign in at {signInUrl}
            Sends without "from" go out as {DefaultSender}.
            Create an API key:  {Cli.SelfCommand.Describe()} keys create --tenant {DefaultTenantSlug} --name "My app" --preset full_access

            """);
    }
}
