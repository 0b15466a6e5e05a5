using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>A relay that requires AUTH (it refuses MAIL FROM without it): configured credentials get mail through.</summary>
public abstract class SmtpAuthTests
{
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected SmtpAuthTests(PenguinMailsFactory app, AuthSmtpServer relay)
    {
        (_app, _smtp) = (app, relay.Server);
        foreach (var (name, value) in _smtp.Settings("relay-user", "relay-secret"))
        {
            app.Settings[name] = value;
        }
    }

    [Fact]
    public async Task RelayRequiringAuth_WithCredentials_Delivered()
    {
        var (_, client) = await _app.TenantClientAsync();
        var to = $"auth-{Guid.NewGuid():N}@example.com";
        var id = await client.SendAsync(EmailTestKit.Simple(to));
        await _app.WaitForStatusAsync(client, id, "sent");
        Assert.Single(_smtp.MessagesTo(to));
    }
}

/// <summary>The test SMTP server with AUTH required (user relay-user, password relay-secret).</summary>
public sealed class AuthSmtpServer : IDisposable
{
    public SmtpServer Server { get; } = SmtpServer.WithAuth("relay-user:relay-secret");

    public void Dispose() => Server.Dispose();
}

public sealed class SmtpAuthSqliteTests(SqliteFactory app, AuthSmtpServer relay)
    : SmtpAuthTests(app, relay), IClassFixture<SqliteFactory>, IClassFixture<AuthSmtpServer>;

public sealed class SmtpAuthPostgresTests(PostgresFactory app, AuthSmtpServer relay)
    : SmtpAuthTests(app, relay), IClassFixture<PostgresFactory>, IClassFixture<AuthSmtpServer>;
