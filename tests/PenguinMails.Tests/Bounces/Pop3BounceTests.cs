using PenguinMails.Bounces;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Bounces;

/// <summary>
/// The same reports read over POP3 (dovecot on loopback): a report is deleted once recorded, a duplicate too; mail that
/// is not a report stays on the server, counted once and not read again.
/// </summary>
public abstract class Pop3BounceTests
{
    private readonly PenguinMailsFactory _app;
    private readonly BounceRig _rig;

    protected Pop3BounceTests(PenguinMailsFactory app, BounceRig rig)
    {
        (_app, _rig) = (app, rig);
        app.UseBounceRig(rig, "pop3");
    }

    [Fact]
    public async Task Reports_AreRecordedOnceAndDeleted_OtherMailIsLeftAndRememberedByItsUidl()
    {
        var (_, client) = await _app.TenantAsync();
        var hard = await _app.SendThroughRelayAsync(client, _rig.Relay, "pop-hard");
        var soft = await _app.SendThroughRelayAsync(client, _rig.Relay, "pop-soft");
        var report = BounceKit.Fixture("exchange-hard", hard, Guid.NewGuid().ToString("N"));
        _rig.Dovecot.Deliver(report);
        _rig.Dovecot.Deliver(report);
        _rig.Dovecot.Deliver(BounceKit.Fixture("postfix-soft", soft, Guid.NewGuid().ToString("N")));
        _rig.Dovecot.Deliver(BounceKit.Fixture("not-a-report", hard, Guid.NewGuid().ToString("N")));

        var first = (await _app.Job().ReadAsync(CancellationToken.None))!;
        var second = (await _app.Job().ReadAsync(CancellationToken.None))!;

        Assert.Equal((2, 1, 1), (first[BounceOutcome.Recorded], first[BounceOutcome.Duplicate], first[BounceOutcome.NotReport]));
        Assert.Equal((0, 1), (second.Outcomes.Values.Sum(), second.Skipped));
        Assert.Equal(1, _rig.Dovecot.Count());
        var email = await client.EmailAsyncFor(hard);
        Assert.Equal("bounced", email["status"]!.GetValue<string>());
        Assert.Single(email.Events("bounced"));
        Assert.Equal("hard_bounce", await client.SuppressionReasonAsync(hard.To));
        Assert.Single((await client.EmailAsyncFor(soft)).Events("deferred"));
    }

    [Fact]
    public async Task AReadingThatRecordedButDidNotDelete_IsFollowedByOneThatDeletesWithoutRecordingAgain()
    {
        var (_, client) = await _app.TenantAsync();
        var sent = await _app.SendThroughRelayAsync(client, _rig.Relay, "pop-crash");
        var report = BounceKit.Fixture("postfix-hard", sent, Guid.NewGuid().ToString("N"));
        _rig.Dovecot.Deliver(report);
        var before = _rig.Dovecot.Count();

        // The reading that died before QUIT: recorded, never deleted (POP3 deletes only at QUIT).
        var intake = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<BounceIntake>(_app.Services);
        Assert.Equal(BounceOutcome.Recorded, (await intake.HandleAsync(MimeKit.MimeMessage.Load(new MemoryStream(
            System.Text.Encoding.UTF8.GetBytes(report.ReplaceLineEndings("\r\n")))), "pop3", CancellationToken.None)).Outcome);

        var summary = (await _app.Job().ReadAsync(CancellationToken.None))!;

        Assert.Equal((0, 1), (summary[BounceOutcome.Recorded], summary[BounceOutcome.Duplicate]));
        Assert.Equal(before - 1, _rig.Dovecot.Count());
        Assert.Single((await client.EmailAsyncFor(sent)).Events("bounced"));
    }
}

public sealed class Pop3BounceSqliteTests(SqliteFactory app, BounceRig rig)
    : Pop3BounceTests(app, rig), IClassFixture<SqliteFactory>, IClassFixture<BounceRig>;

public sealed class Pop3BouncePostgresTests(PostgresFactory app, BounceRig rig)
    : Pop3BounceTests(app, rig), IClassFixture<PostgresFactory>, IClassFixture<BounceRig>;
