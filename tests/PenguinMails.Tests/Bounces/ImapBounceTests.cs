using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PenguinMails.Bounces;
using PenguinMails.Data;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Bounces;

/// <summary>
/// Reports read from a real IMAP mailbox (dovecot on loopback): Postfix's and Exchange's DSNs, an ARF complaint, a mail
/// that is not a report, the same report twice — each recorded once, with its effects, and the mailbox left clean.
/// </summary>
public abstract class ImapBounceTests
{
    private readonly PenguinMailsFactory _app;
    private readonly BounceRig _rig;

    protected ImapBounceTests(PenguinMailsFactory app, BounceRig rig)
    {
        (_app, _rig) = (app, rig);
        app.UseBounceRig(rig);
    }

    [Fact]
    public async Task Reports_AreRecordedOnce_WithStatusesSuppressionsContactsAndWebhooks_AndTheMailboxIsLeftClean()
    {
        var (tenant, client) = await _app.TenantAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await client.CreateEndpointAsync(receiver.Url("/bounces"));
        var sent = new Dictionary<string, SentMessage>();
        var contacts = new Dictionary<string, string>();
        foreach (var name in new[] { "postfix-hard", "exchange-hard", "postfix-soft", "exchange-soft", "arf-complaint" })
        {
            sent[name] = await _app.SendThroughRelayAsync(client, _rig.Relay, name);
            contacts[sent[name].To] = (await client.UpsertContactAsync(sent[name].To))["id"]!.GetValue<string>();
            _rig.Dovecot.Deliver(BounceKit.Fixture(name, sent[name], Guid.NewGuid().ToString("N")));
        }

        sent["twice"] = await _app.SendThroughRelayAsync(client, _rig.Relay, "twice");
        contacts[sent["twice"].To] = (await client.UpsertContactAsync(sent["twice"].To))["id"]!.GetValue<string>();
        var twice = BounceKit.Fixture("postfix-hard", sent["twice"], "same-report-" + Guid.NewGuid().ToString("N"));
        _rig.Dovecot.Deliver(twice);
        _rig.Dovecot.Deliver(twice);
        _rig.Dovecot.Deliver(BounceKit.Fixture("not-a-report", sent["postfix-hard"], Guid.NewGuid().ToString("N")));
        var asideBefore = _rig.Dovecot.Count("Unprocessed");

        var summary = (await _app.Job().ReadAsync(CancellationToken.None))!;

        Assert.Equal((6, 1, 1), (summary[BounceOutcome.Recorded], summary[BounceOutcome.Duplicate], summary[BounceOutcome.NotReport]));
        Assert.Equal(0, _rig.Dovecot.Count());
        Assert.Equal(asideBefore + 1, _rig.Dovecot.Count("Unprocessed"));
        foreach (var (name, status) in new[] { ("postfix-hard", "5.1.1"), ("exchange-hard", "5.1.10"), ("twice", "5.1.1") })
        {
            var email = await client.EmailAsyncFor(sent[name]);
            Assert.Equal("bounced", email["status"]!.GetValue<string>());
            Assert.Equal("bounced", email["recipients"]![0]!["status"]!.GetValue<string>());
            var bounced = Assert.Single(email.Events("bounced"));
            Assert.Contains($"Action failed, Status {status}, Diagnostic-Code smtp;", bounced["detail"]!.GetValue<string>());
            Assert.Equal("hard_bounce", await client.SuppressionReasonAsync(sent[name].To));
            Assert.Equal("bounced", (await client.ContactAsync(contacts[sent[name].To]))["status"]!.GetValue<string>());
        }

        Assert.Contains("Delivery report from dns; mail.example.net: Action failed, Status 5.1.1, Diagnostic-Code smtp; 550 5.1.1",
            Assert.Single((await client.EmailAsyncFor(sent["postfix-hard"])).Events("bounced"))["detail"]!.GetValue<string>());
        foreach (var name in new[] { "postfix-soft", "exchange-soft" })
        {
            var email = await client.EmailAsyncFor(sent[name]);
            Assert.Equal("sent", email["status"]!.GetValue<string>());
            Assert.Contains("Action delayed, Status 4.4.", Assert.Single(email.Events("deferred"))["detail"]!.GetValue<string>());
            Assert.Null(await client.SuppressionReasonAsync(sent[name].To));
            Assert.Equal("subscribed", (await client.ContactAsync(contacts[sent[name].To]))["status"]!.GetValue<string>());
        }

        var complained = await client.EmailAsyncFor(sent["arf-complaint"]);
        Assert.Equal("Feedback report (ARF) from dns; mail.hotmail.example: Feedback-Type abuse.",
            Assert.Single(complained.Events("complained"))["detail"]!.GetValue<string>());
        Assert.Equal("complaint", await client.SuppressionReasonAsync(sent["arf-complaint"].To));
        Assert.Equal("complained", (await client.ContactAsync(contacts[sent["arf-complaint"].To]))["status"]!.GetValue<string>());

        var webhooks = await _app.WebhookTypesAsync(tenant);
        Assert.Equal(3, webhooks.Count(t => t == "email.bounced"));
        Assert.Equal(2, webhooks.Count(t => t == "email.deferred"));
        Assert.Equal(1, webhooks.Count(t => t == "email.complained"));

        var again = (await _app.Job().ReadAsync(CancellationToken.None))!;
        Assert.Empty(again.Outcomes);
        Assert.Single((await client.EmailAsyncFor(sent["postfix-hard"])).Events("bounced"));
    }

    [Fact]
    public async Task ACrashBetweenRecordingAndMoving_RerunLosesNothing_RecordsNothingTwice()
    {
        var (_, client) = await _app.TenantAsync();
        var sent = new List<SentMessage>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add(await _app.SendThroughRelayAsync(client, _rig.Relay, "crash" + i));
            _rig.Dovecot.Deliver(BounceKit.Fixture("postfix-hard", sent[i], Guid.NewGuid().ToString("N")));
        }

        // What a reading that died after recording two reports, before moving them, had done.
        var intake = _app.Services.GetRequiredService<BounceIntake>();
        foreach (var file in Directory.GetFiles(Path.Combine(_rig.Dovecot.Maildir, "new")).Order().Take(2))
        {
            Assert.Equal(BounceOutcome.Recorded, (await intake.HandleAsync(await MimeMessage.LoadAsync(file), "imap", CancellationToken.None)).Outcome);
        }

        // A reading cancelled before it starts leaves everything where it was.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _app.Job().ReadAsync(cancelled.Token));
        Assert.Equal(3, _rig.Dovecot.Count());

        var summary = (await _app.Job().ReadAsync(CancellationToken.None))!;
        Assert.Equal((1, 2), (summary[BounceOutcome.Recorded], summary[BounceOutcome.Duplicate]));
        Assert.Equal(0, _rig.Dovecot.Count());
        foreach (var message in sent)
        {
            var email = await client.EmailAsyncFor(message);
            Assert.Equal("bounced", email["status"]!.GetValue<string>());
            Assert.Single(email.Events("bounced"));
        }
    }

    [Fact]
    public async Task ForgedAndForeignReturnPaths_AreSetAsideAndCounted_NothingRecorded()
    {
        var (_, client) = await _app.TenantAsync();
        var sent = await _app.SendThroughRelayAsync(client, _rig.Relay, "forged");
        var foreign = new VerpTokens(new byte[32]).Create(Guid.Parse(sent.Id[4..]), sent.To);
        _rig.Dovecot.Deliver(BounceKit.Fixture("postfix-hard", sent with { ReturnPath = $"bounces+{foreign}@{BounceKit.BounceDomain}" }, "f1"));
        _rig.Dovecot.Deliver(BounceKit.Fixture("postfix-hard", sent with { ReturnPath = "someone-else@example.org" }, "f2"));
        var aside = _rig.Dovecot.Count("Unprocessed");

        var summary = (await _app.Job().ReadAsync(CancellationToken.None))!;

        Assert.Equal((1, 1), (summary[BounceOutcome.Forged], summary[BounceOutcome.Unmapped]));
        Assert.Equal((0, aside + 2), (_rig.Dovecot.Count(), _rig.Dovecot.Count("Unprocessed")));
        Assert.Equal("sent", (await client.EmailAsyncFor(sent))["status"]!.GetValue<string>());
        Assert.Null(await client.SuppressionReasonAsync(sent.To));
        var stats = await (await _app.Client().SendAsync(BounceKit.StatsRequest())).DataAsync();
        Assert.True(stats["forged"]!.GetValue<int>() >= 1 && stats["unmapped"]!.GetValue<int>() >= 1, stats.ToJsonString());
    }

    [Fact]
    public async Task AMessageTheRelayAcceptsAndLaterBounces_EndsBounced()
    {
        var (_, client) = await _app.TenantAsync();
        var sent = await _app.SendThroughRelayAsync(client, _rig.Relay, "later-bounce");
        Assert.Equal("sent", (await client.EmailAsyncFor(sent))["status"]!.GetValue<string>());

        var summary = (await _app.Job().ReadAsync(CancellationToken.None))!;

        Assert.Equal(1, summary[BounceOutcome.Recorded]);
        var email = await client.EmailAsyncFor(sent);
        Assert.Equal("bounced", email["status"]!.GetValue<string>());
        Assert.Contains("Delivery report from dns; relay.test: Action failed, Status 5.1.1", Assert.Single(email.Events("bounced"))["detail"]!.GetValue<string>());
        Assert.Equal("hard_bounce", await client.SuppressionReasonAsync(sent.To));
    }

    [Fact]
    public async Task EachRecipient_GetsItsOwnTransactionAndSignedReturnPath()
    {
        var (_, client) = await _app.TenantAsync();
        var (a, b, refused) = ($"verp-a-{Guid.NewGuid():N}@example.com", $"verp-b-{Guid.NewGuid():N}@example.com", $"reject-{Guid.NewGuid():N}@example.com");
        var id = await client.SendAsync(new { from = "news@example.com", to = new[] { a, b }, cc = refused, subject = "Hello", text_body = "Hi" });

        var email = await _app.WaitForStatusAsync(client, id, "sent");

        var paths = new[] { a, b }.Select(to => Assert.Single(_rig.Relay.MessagesTo(to))).Select(m => m.Headers["X-Test-Mail-From"]!.Trim()).ToList();
        Assert.All(paths, p => Assert.Matches(BounceKit.Verp(), p));
        Assert.NotEqual(paths[0], paths[1]);
        Assert.Equal(a, Assert.Single(_rig.Relay.MessagesTo(a))!.Headers["X-Test-Rcpt-To"]!.Trim());
        var statuses = email["recipients"]!.AsArray().ToDictionary(r => r!["email"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal(("sent", "sent", "bounced"), (statuses[a], statuses[b], statuses[refused]));
        Assert.Equal("hard_bounce", await client.SuppressionReasonAsync(refused));
    }

    [Fact]
    public async Task TheMailboxIsReadByOneNodeAtATime_AnotherTakesOverWhenTheLeaseRunsOut()
    {
        var other = new BounceMailboxLeases(_app.Services.GetRequiredService<IServiceScopeFactory>(), new NodeName(),
            _app.Services.GetRequiredService<PenguinMails.Delivery.WriteGate>(), _app.Clock);
        Assert.True(await other.TryTakeAsync(TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.Null(await _app.Job().ReadAsync(CancellationToken.None));
        Assert.True(await other.TryTakeAsync(TimeSpan.FromMinutes(5), CancellationToken.None));

        _app.Advance(TimeSpan.FromMinutes(6));
        Assert.NotNull(await _app.Job().ReadAsync(CancellationToken.None));
        await other.ReleaseAsync(CancellationToken.None);
        Assert.True(await other.TryTakeAsync(TimeSpan.FromMinutes(5), CancellationToken.None));
        await other.ReleaseAsync(CancellationToken.None);
    }
}

public sealed class ImapBounceSqliteTests(SqliteFactory app, BounceRig rig)
    : ImapBounceTests(app, rig), IClassFixture<SqliteFactory>, IClassFixture<BounceRig>;

public sealed class ImapBouncePostgresTests(PostgresFactory app, BounceRig rig)
    : ImapBounceTests(app, rig), IClassFixture<PostgresFactory>, IClassFixture<BounceRig>;
