using PenguinMails.Tenancy;

namespace PenguinMails.Data;

public static class StorageExtensions
{
    /// <summary>AppDb on the configured provider: SQLite in the data directory by default, or PostgreSQL.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, PenguinMailsOptions options)
    {
        services.AddScoped<TenantContext>();
        var database = options.Database;
        switch (database.Provider.Trim().ToLowerInvariant())
        {
            case "sqlite":
                var connection = string.IsNullOrWhiteSpace(database.ConnectionString)
                    ? $"Data Source={options.DataPath("penguinmails.db")}"
                    : database.ConnectionString;
                services.AddDbContext<AppDb, SqliteAppDb>(o => o.UseSqlite(connection));
                break;
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(database.ConnectionString))
                {
                    throw new InvalidOperationException(
                        "PenguinMails:Database:ConnectionString is required when the provider is postgres.");
                }

                services.AddDbContext<AppDb, PostgresAppDb>(o => o.UseNpgsql(database.ConnectionString));
                break;
            default:
                throw new InvalidOperationException(
                    $"Unknown database provider '{database.Provider}'. Use 'sqlite' or 'postgres'.");
        }

        services.AddScoped<DatabaseMigrator>();
        return services;
    }
}
