using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Webhooks;

/// <summary>An endpoint failing for five days (injected clock) is disabled and the tenant's admins get a mail through a real SMTP server.</summary>
public abstract class WebhookDisableAlertTests
{
    private readonly PenguinMailsFactory _app;
    private readonly SmtpServer _smtp;

    protected WebhookDisableAlertTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (_app, _smtp) = (app, smtp);
        _app.AllowLoopback();
        foreach (var (name, value) in smtp.Settings())
        {
            app.Settings[name] = value;
        }
    }

    [Fact]
    public async Task FailingForFiveDays_DisablesTheEndpoint_AndEmailsTheAdmins()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Program("/dead", _ => new Answer(502, Body: "bad gateway"));
        var (tenant, admin, _) = await Portal.PortalSignInTests.MemberAsync(_app);
        var client = _app.Client((await _app.CreateKeyAsync(tenant, WebhookKit.Permissions)).Key);
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/dead"));
        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());
        var first = await _app.WaitForAttemptsAsync(delivery, 1);
        _app.Advance(first.NextAttemptAt - first.LastAttemptAt!.Value);
        await _app.WaitForAttemptsAsync(delivery, 2);
        Assert.True((await (await client.GetAsync($"/api/v1/webhooks/{id}")).DataAsync())["enabled"]!.GetValue<bool>());

        _app.Advance(TimeSpan.FromDays(5));
        await _app.WaitForAttemptsAsync(delivery, 3);

        var endpoint = await (await client.GetAsync($"/api/v1/webhooks/{id}")).DataAsync();
        Assert.False(endpoint["enabled"]!.GetValue<bool>());
        Assert.Contains("5 days", endpoint["disabled_reason"]!.GetValue<string>());
        await PenguinMailsFactory.Eventually(() => Task.FromResult(_smtp.MessagesTo(admin).Count >= 1), "the admin was told");
        var mail = Assert.Single(_smtp.MessagesTo(admin));
        Assert.Contains(receiver.Url("/dead"), mail.Subject);
        Assert.Contains("HTTP 502", mail.TextBody);
        Assert.Contains("/dashboard/settings/integrations/esp/webhooks", mail.TextBody);
        Assert.Contains("/dashboard/settings/integrations/esp/webhooks", mail.HtmlBody);
    }
}

public sealed class WebhookDisableAlertSqliteTests(SqliteFactory app, SmtpServer smtp)
    : WebhookDisableAlertTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class WebhookDisableAlertPostgresTests(PostgresFactory app, SmtpServer smtp)
    : WebhookDisableAlertTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;
