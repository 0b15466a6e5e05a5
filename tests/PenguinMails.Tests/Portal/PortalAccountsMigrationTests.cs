using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The PortalAccounts migration on rows of the old schema (per-tenant <c>users</c>): nobody is lost, an address found in
/// two tenants becomes one account (the oldest row's password) with a membership in each, and they sign in.
/// </summary>
public abstract class PortalAccountsMigrationTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task Migration_PerTenantUsers_BecomeOneAccountPerAddress_WithAMembershipEach()
    {
        var (acme, globex) = (await app.CreateTenantAsync(), await app.CreateTenantAsync());
        var hasher = new PasswordHasher<object>();
        var start = PenguinMailsFactory.Start.UtcDateTime;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var migrator = db.GetService<IMigrator>();
            var migrations = db.Database.GetMigrations().ToList();
            await migrator.MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_PortalAccounts", StringComparison.Ordinal)) - 1]);
            foreach (var (tenant, email, role, password, created) in new[]
            {
                (globex, "ann@example.com", "Developer", "ann's newer password", start.AddHours(1)),
                (acme, "ann@example.com", "Admin", "ann's oldest password", start),
                (globex, "bob@example.com", "Admin", "bob's only password", start),
            })
            {
                var sqlite = app.Provider == "sqlite";
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO users (id, tenant_id, email, role, password_hash, created_at) VALUES ({0}, {1}, {2}, {3}, {4}, {5})",
                    sqlite ? Guid.NewGuid().ToString().ToUpperInvariant() : Guid.NewGuid(),
                    sqlite ? tenant.ToString().ToUpperInvariant() : tenant,
                    email, role, hasher.HashPassword(new object(), password),
                    sqlite ? created.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF") : created);
            }

            await migrator.MigrateAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var ann = await db.Accounts.SingleAsync(a => a.Email == "ann@example.com");
            var memberships = await db.Memberships.IgnoreQueryFilters().Where(m => m.AccountId == ann.Id)
                .OrderBy(m => m.Role).Select(m => new { m.TenantId, m.Role }).ToListAsync();
            Assert.Equal([new { TenantId = acme, Role = UserRole.Admin }, new { TenantId = globex, Role = UserRole.Developer }], memberships);
            Assert.True(await db.Accounts.AnyAsync(a => a.Email == "bob@example.com"));
        }

        using var annBrowser = PortalClient.For(app);
        using var bobBrowser = PortalClient.For(app);
        var annSignedIn = await annBrowser.SignInAsync("ann@example.com", "ann's oldest password");
        var bobSignedIn = await bobBrowser.SignInAsync("bob@example.com", "bob's only password");
        Assert.StartsWith("/account/choose-tenant", annSignedIn.Headers.Location!.OriginalString);
        Assert.Equal("/dashboard/settings/developers", bobSignedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await bobBrowser.GetAsync("/dashboard/settings/developers")).Status);
    }
}

// Each class has its own database (its fixture), so going down and up again touches no other test's rows.
public sealed class PortalAccountsMigrationSqliteTests(SqliteFactory app) : PortalAccountsMigrationTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalAccountsMigrationPostgresTests(PostgresFactory app) : PortalAccountsMigrationTests(app), IClassFixture<PostgresFactory>;
