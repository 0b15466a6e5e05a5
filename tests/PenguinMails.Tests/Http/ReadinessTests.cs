using Npgsql;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// A node whose database goes away stays alive (/healthz) but stops being ready (/readyz), so a load balancer
/// takes it out of rotation instead of restarting it. Each test owns its server: it breaks the database.
/// </summary>
public abstract class ReadinessTests
{
    protected abstract PenguinMailsFactory NewServer();

    protected abstract void MakeDatabaseUnreachable(PenguinMailsFactory server);

    [Fact]
    public async Task DatabaseUnreachable_ReadinessIsServiceUnavailable()
    {
        using var server = NewServer();
        await (await server.Client().GetAsync("/readyz")).DataAsync();

        MakeDatabaseUnreachable(server);

        var error = await (await server.Client().GetAsync("/readyz")).ErrorAsync(503, "SERVICE_UNAVAILABLE");
        Assert.Equal("database", error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task DatabaseUnreachable_LivenessStillAnswers()
    {
        using var server = NewServer();
        await (await server.Client().GetAsync("/readyz")).DataAsync();

        MakeDatabaseUnreachable(server);

        var data = await (await server.Client().GetAsync("/healthz")).DataAsync();
        Assert.Equal("ok", data["status"]!.GetValue<string>());
    }
}

public sealed class ReadinessSqliteTests : ReadinessTests
{
    protected override PenguinMailsFactory NewServer() => new SqliteFactory();

    protected override void MakeDatabaseUnreachable(PenguinMailsFactory server)
    {
        foreach (var file in Directory.GetFiles(server.DataDirectory, "penguinmails.db*"))
        {
            File.Delete(file);
        }
    }
}

public sealed class ReadinessPostgresTests : ReadinessTests
{
    protected override PenguinMailsFactory NewServer() => new PostgresFactory();

    protected override void MakeDatabaseUnreachable(PenguinMailsFactory server)
    {
        var database = new NpgsqlConnectionStringBuilder(server.ConnectionString).Database;
        using var connection = new NpgsqlConnection(PostgresFactory.ServerConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
