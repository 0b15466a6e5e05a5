using Microsoft.EntityFrameworkCore.Design;
using PenguinMails.Tenancy;

namespace PenguinMails.Data;

/// <summary>AppDb on SQLite; its own type so that it has its own migrations (Data/Migrations/Sqlite).</summary>
public sealed class SqliteAppDb(DbContextOptions<SqliteAppDb> options, TenantContext tenant) : AppDb(options, tenant);

/// <summary>AppDb on PostgreSQL; its own type so that it has its own migrations (Data/Migrations/Postgres).</summary>
public sealed class PostgresAppDb(DbContextOptions<PostgresAppDb> options, TenantContext tenant) : AppDb(options, tenant);

/// <summary>Used by <c>dotnet ef migrations add --context SqliteAppDb</c>.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDb>
{
    public SqliteAppDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite("Data Source=design.db").Options, new TenantContext());
}

/// <summary>Used by <c>dotnet ef migrations add --context PostgresAppDb</c>; needs no running server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDb>
{
    public PostgresAppDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDb>().UseNpgsql("Host=localhost;Database=design").Options, new TenantContext());
}
