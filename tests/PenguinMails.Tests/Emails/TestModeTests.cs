using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>pm_test_ keys never deliver; the reserved test domain's magic addresses produce their outcomes.</summary>
public abstract class TestModeTests(PenguinMailsFactory app)
{
    private const string Domain = "test.penguinmails.dev";

    [Theory]
    [InlineData("delivered", "sent", "sent")]
    [InlineData("bounced", "bounced", "bounced")]
    [InlineData("complained", "sent", "complained")]
    public async Task MagicAddress_ProducesItsOutcomeAndEvent(string local, string status, string lastEvent)
    {
        var (_, client) = await app.TenantClientAsync("test");
        var id = await client.SendAsync(EmailTestKit.Simple($"{local}@{Domain}"));
        var email = await app.WaitForStatusAsync(client, id, status);
        Assert.Contains(lastEvent, email.EventTypes());
        Assert.True(email["test_mode"]!.GetValue<bool>());
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "outbox", id[4..] + ".eml")));
    }

    [Fact]
    public async Task TestKey_RealRecipient_MarkedSentButNeverDelivered()
    {
        var (_, client) = await app.TenantClientAsync("test");
        var id = await client.SendAsync(EmailTestKit.Simple("someone@example.com"));
        var email = await app.WaitForStatusAsync(client, id, "sent");
        Assert.Contains("not delivered", email["recipients"]![0]!["detail"]!.GetValue<string>());
        Assert.Equal("simulated", email["delivery_attempts"]![0]!["outcome"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(app.DataDirectory, "outbox", id[4..] + ".eml")));
    }
}

public sealed class TestModeSqliteTests(SqliteFactory app) : TestModeTests(app), IClassFixture<SqliteFactory>;

public sealed class TestModePostgresTests(PostgresFactory app) : TestModeTests(app), IClassFixture<PostgresFactory>;
