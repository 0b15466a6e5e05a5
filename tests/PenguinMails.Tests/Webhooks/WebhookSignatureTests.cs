using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// Signatures checked by code we did not write: the Standard Webhooks reference library (npm standardwebhooks) accepts
/// every delivery and refuses one whose body changed by a byte. It refuses time stamps more than 5 minutes from the
/// real clock, so this class sets the server's clock to real time first (and never moves it further).
/// </summary>
public abstract class WebhookSignatureTests
{
    private readonly PenguinMailsFactory _app;

    protected WebhookSignatureTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.AllowLoopback();
        if (_app.Clock.GetUtcNow() < DateTimeOffset.UtcNow)
        {
            _app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        }
    }

    [Fact]
    public async Task ReferenceLibrary_AcceptsEveryDelivery_AndRefusesAChangedBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        var (id, secret) = await client.CreateEndpointAsync(receiver.Url("/verify"));

        await client.SendEmailAsync("reader@example.com");
        await client.UpsertContactAsync("new.contact@example.com");
        await client.TestEventAsync(id);
        await receiver.WaitForAsync("/verify", 4); // email.queued, email.sent, contact.created, webhook.test

        var received = receiver.At("/verify");
        Assert.All(await StandardWebhooksVerifier.VerifyAsync(secret, received), r => Assert.Equal("ok", r));
        var tampered = received[0] with { Body = received[0].Body.Replace("\"type\"", "\"typf\"", StringComparison.Ordinal) };
        Assert.StartsWith("refused", Assert.Single(await StandardWebhooksVerifier.VerifyAsync(secret, [tampered])));
        var other = received[0] with { Body = received[0].Body[..^1] + " " };
        Assert.StartsWith("refused", Assert.Single(await StandardWebhooksVerifier.VerifyAsync(secret, [other])));
    }

    [Fact]
    public async Task AfterARotation_TheOldAndTheNewSecretBothVerify()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        var (id, old) = await client.CreateEndpointAsync(receiver.Url("/rotated"));

        var rotated = await (await client.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null)).DataAsync();
        var fresh = rotated["secret"]!.GetValue<string>();
        await client.TestEventAsync(id);
        await receiver.WaitForAsync("/rotated", 1);

        var delivery = receiver.At("/rotated")[0];
        Assert.Equal(2, delivery.Signature.Split(' ').Length);
        Assert.NotEqual(old, fresh);
        Assert.Equal(["ok"], await StandardWebhooksVerifier.VerifyAsync(old, [delivery]));
        Assert.Equal(["ok"], await StandardWebhooksVerifier.VerifyAsync(fresh, [delivery]));
        Assert.NotNull(rotated["webhook"]!["previous_secret_expires_at"]);
    }
}

public sealed class WebhookSignatureSqliteTests(SqliteFactory app) : WebhookSignatureTests(app), IClassFixture<SqliteFactory>;

public sealed class WebhookSignaturePostgresTests(PostgresFactory app) : WebhookSignatureTests(app), IClassFixture<PostgresFactory>;
