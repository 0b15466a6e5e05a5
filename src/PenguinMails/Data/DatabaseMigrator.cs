using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace PenguinMails.Data;

/// <summary>Applies the provider's migrations; used at start-up and by <c>penguinmails migrate</c>.</summary>
public sealed class DatabaseMigrator(AppDb db, IOptions<PenguinMailsOptions> options, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            }
        }
        else
        {
            Directory.CreateDirectory(options.Value.DataPath());
        }

        // Npgsql's migrator reads the history table before creating it on a new database and logs that as a
        // failed command; creating it first keeps a first start free of misleading "fail:" lines.
        var history = db.GetService<IHistoryRepository>();
        try
        {
            if (!await history.ExistsAsync(ct))
            {
                await history.CreateIfNotExistsAsync(ct);
            }
        }
        catch (System.Data.Common.DbException)
        {
            // Another node created it at the same moment; MigrateAsync below takes the migration lock.
        }

        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while the write-behind flushes write.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        var current = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault();
        logger.LogInformation("Database schema is at migration {Migration}", current);
    }
}
