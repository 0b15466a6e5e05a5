using PenguinMails.Tenancy;
using PenguinMails.Users;

namespace PenguinMails.Data;

/// <summary>
/// On first start with an empty database: a default tenant with the verified sending domain <see cref="DefaultDomain"/>
/// (operator-managed: never looked up in DNS), whose sends without <c>from</c> go out as <see cref="DefaultSender"/> (DECISIONS.md "Sending": the quick start sends into the local outbox out of the box),
/// and its admin, whose generated password is printed once to the console (never to the log), with the command
/// that creates an API key from where the server was started.
/// </summary>
public sealed class FirstRunSeeder(AppDb db, TenantContext tenant, UserAccounts accounts, Domains.DkimKeys keys, TimeProvider time)
{
    public const string DefaultTenantSlug = "default";
    public const string DefaultAdminEmail = "admin@penguinmails.local";
    public const string DefaultSender = "PenguinMails <noreply@localhost>";

    /// <summary>The default tenant's verified sending domain, so that the quick start's sends pass the sender rule.</summary>
    public const string DefaultDomain = "localhost";

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
        var key = keys.Create();
        db.SendingDomains.Add(new Domains.SendingDomain
        {
            TenantId = created.Id, Name = DefaultDomain, OperatorManaged = true, Status = Domains.DomainStatus.Verified,
            VerifiedAt = now, CreatedAt = now, DkimSelector = key.Selector, DkimPublicKey = key.PublicKey, DkimPrivateKey = key.ProtectedPrivateKey,
        });
        await db.SaveChangesAsync(ct);
        var added = await accounts.AddMemberAsync(DefaultAdminEmail, UserRole.Admin, new ChangeActor("first-start", null), ct);
        await console.WriteLineAsync($"""

            PenguinMails created the tenant '{DefaultTenantSlug}' and its admin user.
              email:    {DefaultAdminEmail}
              password: {added.Password}
            This password is shown only this once. Sign in at {signInUrl}
            Sends without "from" go out as {DefaultSender} ('{DefaultDomain}' is its verified sending domain).
            Create an API key:  {Cli.SelfCommand.Describe()} keys create --tenant {DefaultTenantSlug} --name "My app" --preset full_access

            """);
    }
}
