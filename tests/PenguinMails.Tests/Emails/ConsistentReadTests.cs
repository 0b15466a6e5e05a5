using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// <c>GET /emails/{id}</c> shows one moment of the message. CI once read a message still <c>deferred</c> for its first
/// attempt beside the second attempt's row, recorded between the view's queries, and so a next attempt already past.
/// Here a delivery attempt (the message's count and the attempt's row, in one commit) lands right after the view has
/// read the message: the view shows all of it or none of it.
/// </summary>
public abstract class ConsistentReadTests
{
    private readonly PenguinMailsFactory _app;

    protected ConsistentReadTests(PenguinMailsFactory app)
    {
        _app = app;
        ReadGapTrap.Install(app);
    }

    [Fact]
    public async Task EmailView_AnAttemptRecordedBetweenItsQueries_ShowsTheMessageAsOneMoment()
    {
        var (tenant, client) = await _app.TenantClientAsync("test");
        var id = await client.SendAsync(EmailTestKit.Simple("delivered@test.penguinmails.dev"));
        await _app.WaitForStatusAsync(client, id, "sent");
        var messageId = EmailIds.Parse(id)!.Value;

        var trap = _app.Services.GetRequiredService<ReadGapTrap>();
        var recorded = trap.ArmAsync("email_messages", messageId, () => _app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            var message = await db.EmailMessages.SingleAsync(m => m.Id == messageId);
            message.Attempts++;
            db.DeliveryAttempts.Add(new DeliveryAttempt
            {
                MessageId = messageId, Number = message.Attempts, StartedAt = _app.Clock.GetUtcNow().UtcDateTime, Node = "test",
                Outcome = "sent", SmtpCode = 250,
            });
            return await db.SaveChangesAsync();
        }));
        var view = await client.EmailAsync(id);
        await recorded.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, view["attempts"]!.GetValue<int>());
        Assert.Single(view["delivery_attempts"]!.AsArray());
        var after = await client.EmailAsync(id);
        Assert.Equal(2, after["attempts"]!.GetValue<int>());
        Assert.Equal(2, after["delivery_attempts"]!.AsArray().Count);
    }
}

public sealed class ConsistentReadSqliteTests(SqliteFactory app) : ConsistentReadTests(app), IClassFixture<SqliteFactory>;

public sealed class ConsistentReadPostgresTests(PostgresFactory app) : ConsistentReadTests(app), IClassFixture<PostgresFactory>;
