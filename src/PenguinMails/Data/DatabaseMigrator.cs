using Microsoft.Data.Sqlite;
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
