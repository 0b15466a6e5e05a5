using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PenguinMails.Data;
using PenguinMails.Tenancy;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Data;

public abstract class StorageTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task Migrations_CoverTheWholeModel()
    {
        app.Client();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration captures");
    }

    [Fact]
    public async Task Database_HoldsNoKeySecret()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var created = await (await app.Client(admin).PostJsonAsync("/api/v1/platform/api-keys",
            new { name = "secret keeper", permissions = new[] { "emails:send" } })).DataAsync(201);
        var key = created["key"]!.GetValue<string>();
        var secretPart = key[22..^6];

        var stored = await EverythingStoredAsync();

        Assert.Contains(key[..22], stored); // the identifier is there, so the search does find stored text
        Assert.DoesNotContain(secretPart, stored);
        Assert.DoesNotContain(key, stored);
    }

    [Fact]
    public async Task TenantFilter_HidesOtherTenantsRows_AndRefusesToSaveThem()
    {
        var (tenantA, _, _) = await app.CreateTenantWithAdminKeyAsync();
        var (tenantB, _, keyB) = await app.CreateTenantWithAdminKeyAsync();

        await app.InTenantAsync(tenantA, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            Assert.Null(await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyB));
            Assert.Equal(0, await db.ApiKeys.Where(k => k.Id == keyB).ExecuteDeleteAsync());
            var foreign = await db.ApiKeys.IgnoreQueryFilters().SingleAsync(k => k.Id == keyB);
            foreign.Name = "hijacked";
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            return true;
        });
        await app.InTenantAsync(tenantB, async sp =>
        {
            Assert.Equal("test key", (await sp.GetRequiredService<AppDb>().ApiKeys.SingleAsync(k => k.Id == keyB)).Name);
            return true;
        });
    }

    [Fact]
    public async Task NoTenantScope_SeesNoTenantRows()
    {
        await app.CreateTenantWithAdminKeyAsync();
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDb>().ApiKeys.CountAsync());
        Assert.Null(scope.ServiceProvider.GetRequiredService<TenantContext>().TenantId);
    }

    private async Task<string> EverythingStoredAsync()
    {
        if (app.Provider == "sqlite")
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<AppDb>().Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(FULL);");
            }

            var text = new StringBuilder();
            foreach (var file in Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories))
            {
                text.Append(Encoding.Latin1.GetString(await ReadSharedAsync(file)));
            }

            return text.ToString();
        }

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var all = new StringBuilder();
        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t", connection);
            await using var reader = await dump.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                all.AppendLine(reader.GetString(0));
            }
        }

        return all.ToString();
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}

public sealed class StorageSqliteTests(SqliteFactory app) : StorageTests(app), IClassFixture<SqliteFactory>;

public sealed class StoragePostgresTests(PostgresFactory app) : StorageTests(app), IClassFixture<PostgresFactory>;
