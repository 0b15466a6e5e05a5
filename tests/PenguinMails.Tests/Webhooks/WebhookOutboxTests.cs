using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PenguinMails.Tests.Contacts;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// The outbox: events recorded with the change that caused them, only when some enabled endpoint wants them, in the
/// environment of the key that caused them; and a contact's GDPR export and erasure covering the payloads.
/// </summary>
public abstract class WebhookOutboxTests
{
    private readonly PenguinMailsFactory _app;

    protected WebhookOutboxTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.AllowLoopback();
    }

    [Fact]
    public async Task TenantWithoutEndpoints_ALargeImport_WritesNoEventRows()
    {
        var (tenant, client) = await _app.TenantAsync();
        var csv = new StringBuilder("email,first_name\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append("person").Append(i).Append("@example.com,P").Append(i).Append('\n');
        }

        var report = await (await client.ImportAsync(csv.ToString(), "text/csv")).DataAsync();

        Assert.Equal(20_000, report["created"]!.GetValue<int>());
        Assert.Equal(0, await _app.RowsAsync(db => db.WebhookEvents.IgnoreQueryFilters().CountAsync(e => e.TenantId == tenant)));
        Assert.Equal(0, await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().CountAsync(e => e.TenantId == tenant)));
    }

    [Fact]
    public async Task Import_WithAnEndpointForContactCreated_OneEventPerContact_OnlyThatType()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenant, client) = await _app.TenantAsync();
        await client.CreateEndpointAsync(receiver.Url("/contacts"), ["contact.created"]);

        await (await client.ImportAsync("email\na@example.com\nb@example.com\nc@example.com\n", "text/csv")).DataAsync();
        await client.SendEmailAsync("a@example.com");

        await receiver.WaitForAsync("/contacts", 3);
        var bodies = receiver.At("/contacts").Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.All(bodies, b => Assert.Equal("contact.created", b["type"]!.GetValue<string>()));
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com"], bodies.Select(b => b["data"]!["email"]!.GetValue<string>()).Order());
        Assert.Equal(3, await _app.RowsAsync(db => db.WebhookEvents.IgnoreQueryFilters().CountAsync(e => e.TenantId == tenant)));
    }

    [Fact]
    public async Task SentEmail_ReachesTheEndpoint_AsQueuedThenSent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        await client.CreateEndpointAsync(receiver.Url("/emails"), ["email.queued", "email.sent"]);

        var id = await client.SendEmailAsync("reader@example.com");

        await receiver.WaitForAsync("/emails", 2);
        var bodies = receiver.At("/emails").Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(["email.queued", "email.sent"], bodies.Select(b => b["type"]!.GetValue<string>()).Order());
        Assert.All(bodies, b => Assert.Equal(id, b["data"]!["email_id"]!.GetValue<string>()));
        var sent = bodies.Single(b => b["type"]!.GetValue<string>() == "email.sent");
        Assert.Equal("reader@example.com", sent["data"]!["to"]!.GetValue<string>());
        Assert.Equal("Webhook test", sent["data"]!["subject"]!.GetValue<string>());
        Assert.False(sent["data"]!["test"]!.GetValue<bool>());
        Assert.EndsWith("Z", sent["timestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task TestKeyEvents_GoOnlyToTestEndpoints_LiveOnesToLiveEndpoints()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await _app.CreateTenantAsync();
        var live = _app.Client((await _app.CreateKeyAsync(tenant, WebhookKit.Permissions)).Key);
        var test = _app.Client((await _app.CreateKeyAsync(tenant, WebhookKit.Permissions, environment: "test")).Key);
        await live.CreateEndpointAsync(receiver.Url("/live"), ["email.queued"]);
        await live.CreateEndpointAsync(receiver.Url("/test"), ["email.queued"], environment: "test");

        var byTest = await test.SendEmailAsync("t@example.com");
        var byLive = await live.SendEmailAsync("l@example.com");

        await receiver.WaitForAsync("/test", 1);
        await receiver.WaitForAsync("/live", 1);
        Assert.Equal(byTest, JsonNode.Parse(Assert.Single(receiver.At("/test")).Body)!["data"]!["email_id"]!.GetValue<string>());
        Assert.Equal(byLive, JsonNode.Parse(Assert.Single(receiver.At("/live")).Body)!["data"]!["email_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task DisabledEndpoint_GetsNothingRecorded_ReenabledItDoes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenant, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/toggle"), ["contact.created"]);
        await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { enabled = false });

        await client.UpsertAsync(new { email = "off@example.com" });
        Assert.Equal(0, await _app.RowsAsync(db => db.WebhookEvents.IgnoreQueryFilters().CountAsync(e => e.TenantId == tenant)));

        await (await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { enabled = true })).DataAsync();
        await client.UpsertAsync(new { email = "on@example.com" });
        await receiver.WaitForAsync("/toggle", 1);
        Assert.Contains("on@example.com", receiver.At("/toggle")[0].Body);
    }

    [Fact]
    public async Task ContactExport_HoldsTheWebhookPayloads_ErasureRemovesThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenant, client) = await _app.TenantAsync();
        var (endpoint, _) = await client.CreateEndpointAsync(receiver.Url("/gdpr"), ["contact.created", "contact.updated", "contact.deleted"]);
        var contact = await client.UpsertAsync(new { email = "Private.Person@example.com", first_name = "Pat" });
        var id = contact["id"]!.GetValue<string>();
        await receiver.WaitForAsync("/gdpr", 1);
        // The answer reaches the receiver before its outcome is committed (outcomes are written in groups).
        await PenguinMailsFactory.Eventually(async () => (await client.DeliveriesAsync(endpoint)) is [{ } only] && only["status"]!.GetValue<string>() == "succeeded",
            "the delivery is recorded as succeeded");

        var export = await (await client.GetAsync($"/api/v1/contacts/{id}/export")).DataAsync();
        var events = export["webhook_events"]!.AsArray();
        var created = Assert.Single(events);
        Assert.Equal("contact.created", created!["type"]!.GetValue<string>());
        Assert.Equal("Private.Person@example.com", created["payload"]!["data"]!["email"]!.GetValue<string>());
        Assert.Equal("succeeded", created["deliveries"]![0]!["status"]!.GetValue<string>());

        var erased = await (await client.PostAsync($"/api/v1/contacts/{id}/erase", null)).DataAsync();
        Assert.Equal(1, erased["removed"]!["webhook_events"]!.GetValue<int>());
        await receiver.WaitForAsync("/gdpr", 2);
        var left = await _app.RowsAsync(db => db.WebhookEvents.IgnoreQueryFilters().Where(e => e.TenantId == tenant).Select(e => e.Payload).ToListAsync());
        Assert.DoesNotContain(left, p => p.Contains("private.person", StringComparison.OrdinalIgnoreCase));
        var deleted = JsonNode.Parse(receiver.At("/gdpr")[1].Body)!;
        Assert.Equal("contact.deleted", deleted["type"]!.GetValue<string>());
        Assert.True(deleted["data"]!["erased"]!.GetValue<bool>());
        Assert.Null(deleted["data"]!["email"]);
    }
}

public sealed class WebhookOutboxSqliteTests(SqliteFactory app) : WebhookOutboxTests(app), IClassFixture<SqliteFactory>;

public sealed class WebhookOutboxPostgresTests(PostgresFactory app) : WebhookOutboxTests(app), IClassFixture<PostgresFactory>;
