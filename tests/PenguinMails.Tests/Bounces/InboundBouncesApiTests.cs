using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Bounces;

/// <summary>POST /inbound/bounces: the raw report from an MTA's pipe, processed as the mailbox reader does, with clear refusals.</summary>
public abstract class InboundBouncesApiTests
{
    private readonly PenguinMailsFactory _app;
    private readonly BounceRig _rig;

    protected InboundBouncesApiTests(PenguinMailsFactory app, BounceRig rig)
    {
        (_app, _rig) = (app, rig);
        app.UseBounceRig(rig);
    }

    [Fact]
    public async Task APostedReport_IsRecordedOnce_ThenADuplicate()
    {
        var (_, client) = await _app.TenantAsync();
        var sent = await _app.SendThroughRelayAsync(client, _rig.Relay, "http-hard");
        var report = BounceKit.Fixture("postfix-hard", sent, Guid.NewGuid().ToString("N"));

        var first = await (await _app.Client().SendAsync(BounceKit.ReportRequest(report))).DataAsync();
        var second = await (await _app.Client().SendAsync(BounceKit.ReportRequest(report))).DataAsync();

        Assert.Equal(("recorded", sent.Id), (first["result"]!.GetValue<string>(), first["email_id"]!.GetValue<string>()));
        Assert.StartsWith("Delivery report from dns; mail.example.net: Action failed, Status 5.1.1", first["detail"]!.GetValue<string>());
        Assert.Equal("duplicate", second["result"]!.GetValue<string>());
        var email = await client.EmailAsyncFor(sent);
        Assert.Equal("bounced", email["status"]!.GetValue<string>());
        Assert.Single(email.Events("bounced"));

        var complaint = await (await _app.Client().SendAsync(BounceKit.ReportRequest(BounceKit.Fixture("arf-complaint", sent, "c1")))).DataAsync();
        Assert.Equal("recorded", complaint["result"]!.GetValue<string>());
        Assert.Single((await client.EmailAsyncFor(sent)).Events("complained"));
        Assert.Equal("hard_bounce", await client.SuppressionReasonAsync(sent.To)); // the first reason is kept
    }

    [Fact]
    public async Task APolicyRefusalFailsTheRecipientWithoutSuppressing_ADeliveredReportIsIgnored()
    {
        var (_, client) = await _app.TenantAsync();
        var policy = await _app.SendThroughRelayAsync(client, _rig.Relay, "http-policy");
        var delivered = await _app.SendThroughRelayAsync(client, _rig.Relay, "http-delivered");
        var refused = BounceKit.Fixture("postfix-hard", policy, Guid.NewGuid().ToString("N"))
            .Replace("Status: 5.1.1", "Status: 5.7.1").Replace("550 5.1.1 <", "550 5.7.1 <");
        var relayed = BounceKit.Fixture("postfix-hard", delivered, Guid.NewGuid().ToString("N"))
            .Replace("Action: failed", "Action: relayed").Replace("Status: 5.1.1", "Status: 2.0.0");

        var failed = await (await _app.Client().SendAsync(BounceKit.ReportRequest(refused))).DataAsync();
        var ignored = await (await _app.Client().SendAsync(BounceKit.ReportRequest(relayed))).DataAsync();

        Assert.Equal(("recorded", "ignored"), (failed["result"]!.GetValue<string>(), ignored["result"]!.GetValue<string>()));
        var email = await client.EmailAsyncFor(policy);
        Assert.Equal(("failed", "failed"), (email["status"]!.GetValue<string>(), email["recipients"]![0]!["status"]!.GetValue<string>()));
        Assert.Contains("Status 5.7.1", Assert.Single(email.Events("failed"))["detail"]!.GetValue<string>());
        Assert.Null(await client.SuppressionReasonAsync(policy.To));
        Assert.Equal("sent", (await client.EmailAsyncFor(delivered))["status"]!.GetValue<string>());
        Assert.Null(await client.SuppressionReasonAsync(delivered.To));
    }

    [Fact]
    public async Task Refusals_AreClearEnvelopes()
    {
        var (_, client) = await _app.TenantAsync();
        var sent = await _app.SendThroughRelayAsync(client, _rig.Relay, "http-refused");
        var report = BounceKit.Fixture("postfix-hard", sent, Guid.NewGuid().ToString("N"));
        var (apiKey, _) = await _app.CreateKeyAsync(await _app.CreateTenantAsync(), [PenguinMails.ApiKeys.Permissions.AdminFull]);

        await (await _app.Client().SendAsync(BounceKit.ReportRequest(report, token: null))).ErrorAsync(401, "INVALID_INBOUND_TOKEN");
        await (await _app.Client().SendAsync(BounceKit.ReportRequest(report, token: "wrong"))).ErrorAsync(401, "INVALID_INBOUND_TOKEN");
        await (await _app.Client().SendAsync(BounceKit.ReportRequest(report, token: apiKey))).ErrorAsync(401, "INVALID_INBOUND_TOKEN");
        await (await _app.Client().SendAsync(BounceKit.StatsRequest("wrong"))).ErrorAsync(401, "INVALID_INBOUND_TOKEN");
        await (await _app.Client().SendAsync(BounceKit.ReportRequest(""))).ErrorAsync(400, "NOT_A_DELIVERY_REPORT");
        await (await _app.Client().SendAsync(BounceKit.ReportRequest(BounceKit.Fixture("not-a-report", sent, "n1")))).ErrorAsync(400, "NOT_A_DELIVERY_REPORT");
        await (await _app.Client().SendAsync(BounceKit.ReportRequest(BounceKit.Fixture("postfix-hard", sent with { ReturnPath = "x@example.org" }, "u1"))))
            .ErrorAsync(422, "REPORT_NOT_MAPPABLE");
        await (await _app.Client().SendAsync(BounceKit.ReportRequest("\u0000\u0001 garbage"))).ErrorAsync(400, "NOT_A_DELIVERY_REPORT");

        Assert.Equal("sent", (await client.EmailAsyncFor(sent))["status"]!.GetValue<string>());
        var stats = await (await _app.Client().SendAsync(BounceKit.StatsRequest())).DataAsync();
        Assert.True(stats["not_report"]!.GetValue<int>() >= 1 && stats["unmapped"]!.GetValue<int>() >= 1, stats.ToJsonString());
    }
}

public sealed class InboundBouncesApiSqliteTests(SqliteFactory app, BounceRig rig)
    : InboundBouncesApiTests(app, rig), IClassFixture<SqliteFactory>, IClassFixture<BounceRig>;

public sealed class InboundBouncesApiPostgresTests(PostgresFactory app, BounceRig rig)
    : InboundBouncesApiTests(app, rig), IClassFixture<PostgresFactory>, IClassFixture<BounceRig>;
