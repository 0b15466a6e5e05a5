using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Bounces;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Bounces;

/// <summary>
/// The inbound-mail log is pruned after <c>Bounces:MailLogRetentionDays</c> (30): the stats count only the window, the
/// reports' effects stay, and the POP3 reader's memory of mail it left in the mailbox is kept, so that mail is not
/// read and counted again. A class of its own: it moves its factory's clock by a month.
/// </summary>
public abstract class BounceMailRetentionTests
{
    private readonly PenguinMailsFactory _app;
    private readonly BounceRig _rig;

    protected BounceMailRetentionTests(PenguinMailsFactory app, BounceRig rig)
    {
        (_app, _rig) = (app, rig);
        app.UseBounceRig(rig, "pop3");
        app.Settings["PenguinMails:Bounces:Mailbox:IntervalSeconds"] = "3456000"; // 40 days: the month this test moves reads nothing by itself
    }

    [Fact]
    public async Task AfterTheRetention_TheLogIsPruned_ThePop3MemoryOfMailLeftInTheMailboxIsKept_TheEffectsStay()
    {
        var (_, client) = await _app.TenantAsync();
        var hard = await _app.SendThroughRelayAsync(client, _rig.Relay, "retention-hard");
        _rig.Dovecot.Deliver(BounceKit.Fixture("postfix-hard", hard, Guid.NewGuid().ToString("N")));
        _rig.Dovecot.Deliver(BounceKit.Fixture("not-a-report", hard, Guid.NewGuid().ToString("N")));
        var first = (await _app.Job().ReadAsync(CancellationToken.None))!;
        Assert.Equal((1, 1), (first[BounceOutcome.Recorded], first[BounceOutcome.NotReport]));
        var retention = _app.Services.GetRequiredService<BounceMailRetention>();

        Assert.Equal(0, await retention.PruneAsync(CancellationToken.None)); // nothing is old yet
        _app.Advance(TimeSpan.FromDays(31));
        await retention.PruneAsync(CancellationToken.None); // the hourly run may have pruned first: the stats say what is left

        var stats = await (await _app.Client().SendAsync(BounceKit.StatsRequest())).DataAsync();
        Assert.Equal((0, 1), (stats["recorded"]!.GetValue<int>(), stats["not_report"]!.GetValue<int>())); // the memory of the set-aside mail stays
        var again = (await _app.Job().ReadAsync(CancellationToken.None))!;
        Assert.Equal((0, 1), (again.Outcomes.Values.Sum(), again.Skipped)); // the mail left in the mailbox is not counted again
        Assert.Equal("bounced", (await client.EmailAsyncFor(hard))["status"]!.GetValue<string>());
        Assert.Equal("hard_bounce", await client.SuppressionReasonAsync(hard.To));
    }
}

public sealed class BounceMailRetentionSqliteTests(SqliteFactory app, BounceRig rig)
    : BounceMailRetentionTests(app, rig), IClassFixture<SqliteFactory>, IClassFixture<BounceRig>;

public sealed class BounceMailRetentionPostgresTests(PostgresFactory app, BounceRig rig)
    : BounceMailRetentionTests(app, rig), IClassFixture<PostgresFactory>, IClassFixture<BounceRig>;
