using Npgsql;

namespace PenguinMails.Tests.Infrastructure;

public sealed class SqliteFactory : PenguinMailsFactory
{
    public override string Provider => "sqlite";
    public override string ConnectionString => "";
}

/// <summary>
/// A fresh database on the PostgreSQL server the README's test command starts (PENGUINMAILS_TEST_POSTGRES,
/// default 127.0.0.1:5433). Without that server these tests fail: they are never skipped.
/// </summary>
public sealed class PostgresFactory : PenguinMailsFactory
{
    private readonly string _database = "pm_test_" + Guid.NewGuid().ToString("N")[..16];

    public PostgresFactory()
    {
        using var connection = new NpgsqlConnection(ServerConnectionString);
        try
        {
            connection.Open();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests need a server at '{ServerConnectionString}'. Run the README's test command (./test.sh), " +
                "which starts one, or set PENGUINMAILS_TEST_POSTGRES.", e);
        }

        using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", connection);
        create.ExecuteNonQuery();
    }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("PENGUINMAILS_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5433;Username=postgres;Database=postgres";

    public override string Provider => "postgres";

    public override string ConnectionString =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = _database, Pooling = true }.ConnectionString;

    protected override void DropDatabase()
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ServerConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
