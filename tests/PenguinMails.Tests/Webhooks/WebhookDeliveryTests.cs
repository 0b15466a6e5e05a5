using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Webhooks;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// Deliveries to a real receiver on loopback, with the injected clock: the retry schedule, Retry-After, 410 Gone,
/// redirects not followed, one endpoint's slowness never holding up another, and the signature's shape.
/// </summary>
public abstract class WebhookDeliveryTests
{
    private readonly PenguinMailsFactory _app;

    protected WebhookDeliveryTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.AllowLoopback();
    }

    [Fact]
    public async Task Create_ShowsTheSecretOnce_GetAndListNeverDo()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();

        var (id, secret) = await client.CreateEndpointAsync(receiver.Url("/a"), ["email.sent", "contact.created"]);

        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.True(Convert.FromBase64String(secret["whsec_".Length..]).Length >= 24);
        var one = await (await client.GetAsync($"/api/v1/webhooks/{id}")).DataAsync();
        var list = await (await client.GetAsync("/api/v1/webhooks")).DataAsync();
        Assert.DoesNotContain(secret, one.ToJsonString() + list.ToJsonString());
        Assert.Equal(["email.sent", "contact.created"], one["events"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal("live", one["environment"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryEventType_InItsWebhooksSection()
    {
        var document = JsonNode.Parse(await _app.Client().GetStringAsync("/openapi/v1.json"))!;

        var webhooks = document["webhooks"]!.AsObject();
        Assert.Equal(WebhookEventTypes.All.Order(), webhooks.Select(w => w.Key).Order());
        var sent = webhooks["email.sent"]!["post"]!;
        Assert.Equal("#/components/schemas/EmailWebhookPayload", sent["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Contains(sent["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "webhook-signature");
        Assert.NotNull(document["components"]!["schemas"]!["ContactWebhookPayload"]);
    }

    [Fact]
    public async Task RotatedSecret_SignsBesideTheNewOne_For24HoursOnly()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/grace"));
        await (await client.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null)).DataAsync();

        await client.TestEventAsync(id);
        await receiver.WaitForAsync("/grace", 1);
        _app.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await client.TestEventAsync(id);
        await receiver.WaitForAsync("/grace", 2);

        Assert.Equal(2, receiver.At("/grace")[0].Signature.Split(' ').Length);
        Assert.Single(receiver.At("/grace")[1].Signature.Split(' '));
    }

    [Fact]
    public async Task Delivery_CarriesTheStandardWebhooksHeaders_SignedWithTheSecret_AndCustomHeaders()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        var (id, secret) = await client.CreateEndpointAsync(receiver.Url("/signed"), headers: new() { ["Authorization"] = "Bearer abc" });

        await client.TestEventAsync(id);
        await receiver.WaitForAsync("/signed", 1);

        var got = receiver.At("/signed")[0];
        Assert.Matches("^evt_[0-9a-f]{32}$", got.Id);
        Assert.Equal(_app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), got.Timestamp);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{got.Id}.{got.Timestamp}.{got.Body}")));
        Assert.Equal(expected, got.Signature);
        Assert.Equal("Bearer abc", got.Headers["authorization"]);
        var body = JsonNode.Parse(got.Body)!;
        Assert.Equal("webhook.test", body["type"]!.GetValue<string>());
        Assert.Equal(id.ToString(), body["data"]!["endpoint_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomHeaderValues_AreNotShownAgain_AndAnEndpointWrittenBackWhole_KeepsThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/kept"), headers: new() { ["Authorization"] = "Bearer abc", ["X-Team"] = "orders" });

        var shown = await (await client.GetAsync($"/api/v1/webhooks/{id}")).DataAsync(200);
        var list = await (await client.GetAsync("/api/v1/webhooks")).Content.ReadAsStringAsync();
        Assert.Equal("{\"Authorization\":\"********\",\"X-Team\":\"********\"}", shown["headers"]!.ToJsonString());
        Assert.DoesNotContain("Bearer abc", list);
        Assert.DoesNotContain("orders", list);

        // written back as read, with one value changed (in another case) and one header added: the hidden value is kept
        var headers = shown["headers"]!.AsObject().ToDictionary(h => h.Key, h => h.Value!.GetValue<string>());
        headers.Remove("X-Team");
        (headers["x-team"], headers["X-New"]) = ("billing", "1");
        var changed = await (await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { headers })).DataAsync(200);
        Assert.DoesNotContain("billing", changed.ToJsonString());
        await client.TestEventAsync(id);
        await receiver.WaitForAsync("/kept", 1);
        var got = receiver.At("/kept")[0].Headers;
        (string, string, string) sent = (got["authorization"], got["x-team"], got["x-new"]);
        Assert.Equal(("Bearer abc", "billing", "1"), sent);

        // the placeholder for a header with no stored value is refused, on update and on create, and nothing changes
        var refused = await (await client.PatchJsonAsync($"/api/v1/webhooks/{id}",
            new { headers = new Dictionary<string, string> { ["Authorization"] = "********", ["X-Other"] = "********" } })).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("headers.X-Other", refused["details"]![0]!["field"]!.GetValue<string>());
        await (await client.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url("/h"), headers = new Dictionary<string, string> { ["X-A"] = "********" } }))
            .ErrorAsync(400, "VALIDATION_ERROR");
        await client.TestEventAsync(id);
        await receiver.WaitForAsync("/kept", 2);
        Assert.Equal("billing", receiver.At("/kept")[1].Headers["x-team"]);
    }

    [Fact]
    public async Task Successes_AreRecordedEachWithItsOwnAnswer_InGroups()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Program("/many", n => new Answer(200 + n % 3, Body: $"answer {n}")); // every answer its own
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/many"));
        for (var i = 0; i < 30; i++)
        {
            await client.TestEventAsync(id); // 30 outcomes: more than one multi-row statement's worth
        }

        await receiver.WaitForAsync("/many", 30);
        await PenguinMailsFactory.Eventually(async () => (await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters()
            .CountAsync(d => d.EndpointId == id && d.Status == WebhookDeliveryStatus.Succeeded))) == 30, "30 successes recorded");
        var rows = await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => d.EndpointId == id).ToListAsync());
        Assert.All(rows, row =>
        {
            Assert.Equal(1, row.Attempts);
            Assert.Null(row.LeaseToken);
            Assert.Null(row.LeaseUntil);
            Assert.Null(row.Error);
            Assert.NotNull(row.CompletedAt);
            var n = int.Parse(row.ResponseExcerpt!["answer ".Length..], CultureInfo.InvariantCulture);
            Assert.Equal(200 + n % 3, row.StatusCode); // the status and the excerpt of the same answer
        });
        Assert.Equal(30, rows.Select(r => r.ResponseExcerpt).Distinct().Count()); // each row its own answer
    }

    [Fact]
    public async Task Create_RefusesHeadersThatBelongToTheDelivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        foreach (var name in new[] { "Connection", "Host", "Content-Type", "webhook-signature", "Transfer-Encoding", "bad name" })
        {
            var response = await client.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url("/h"), headers = new Dictionary<string, string> { [name] = "x" } });
            await response.ErrorAsync(400, "VALIDATION_ERROR");
        }

        // Every refused header is named at once, as a send's custom headers are, not only the first.
        var several = new Dictionary<string, string> { ["webhook-signature"] = "x", ["Content-Type"] = "text/plain", ["X-Fine"] = "y", ["Host"] = "h" };
        var all = await (await client.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url("/h"), headers = several })).ErrorAsync(400, "VALIDATION_ERROR");
        var message = all["details"]![0]!["message"]!.GetValue<string>();
        Assert.All(new[] { "'webhook-signature'", "'Content-Type'", "'Host'" }, name => Assert.Contains(name, message));
        Assert.DoesNotContain("X-Fine", message);
    }

    [Fact]
    public async Task HeaderValues_ThatNoDeliveryCouldCarry_AreRefused_OnCreateAndUpdate()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/ascii"), headers: new() { ["X-Team"] = "Orders \t~!" });
        foreach (var value in new[] { "vä", "😀", "a\u0080b", "a\rb", "a\u007fb", "\u00a0" })
        {
            var headers = new Dictionary<string, string> { ["X-A"] = value };
            var error = await (await client.PostJsonAsync("/api/v1/webhooks", new { url = receiver.Url("/h"), headers })).ErrorAsync(400, "VALIDATION_ERROR");
            Assert.Contains("printable ASCII", error["details"]![0]!["message"]!.GetValue<string>());
            await (await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { headers })).ErrorAsync(400, "VALIDATION_ERROR");
        }

        await client.TestEventAsync(id);
        await receiver.WaitForAsync("/ascii", 1);
        Assert.Equal("Orders \t~!", receiver.At("/ascii")[0].Headers["x-team"]);
    }

    [Fact]
    public async Task FailingDelivery_IsRetriedOnTheSchedule_WithTheSameWebhookId_ThenFails()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Program("/down", _ => new Answer(500, Body: "boom"));
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/down"));
        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());

        var row = await _app.WaitForAttemptsAsync(delivery, 1);
        foreach (var (planned, attempt) in WebhookRetries.Schedule.Select((d, i) => (d, i + 2)))
        {
            var wait = row.NextAttemptAt - row.LastAttemptAt!.Value;
            Assert.InRange(wait, planned * 0.9 - TimeSpan.FromMilliseconds(1), planned * 1.1 + TimeSpan.FromMilliseconds(1));
            _app.Advance(wait - TimeSpan.FromSeconds(1));
            Assert.Equal(attempt - 1, (await _app.DeliveryAsync(delivery)).Attempts); // not yet due
            _app.Advance(TimeSpan.FromSeconds(1));
            row = await _app.WaitForAttemptsAsync(delivery, attempt);
        }

        Assert.Equal(WebhookDeliveryStatus.Failed, row.Status);
        Assert.Equal(8, receiver.At("/down").Count);
        Assert.Single(receiver.At("/down").Select(r => r.Id).Distinct());
        var log = await client.DeliveriesAsync(id);
        Assert.Equal("failed", log[0]!["status"]!.GetValue<string>());
        Assert.Equal(500, log[0]!["status_code"]!.GetValue<int>());
        Assert.Equal("boom", log[0]!["response_excerpt"]!.GetValue<string>());
        Assert.Null(log[0]!["next_retry_at"]);
    }

    [Fact]
    public async Task RetryAfter_InSecondsOrAsADate_IsHonoured()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/busy"));
        var date = _app.Clock.GetUtcNow().AddHours(3);
        receiver.Program("/busy", n => n switch
        {
            1 => new Answer(429, new() { ["Retry-After"] = "120" }),
            2 => new Answer(503, new() { ["Retry-After"] = date.AddMinutes(2).ToString("R", CultureInfo.InvariantCulture) }),
            _ => new Answer(204, Body: ""),
        });
        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());

        var first = await _app.WaitForAttemptsAsync(delivery, 1);
        Assert.Equal(TimeSpan.FromSeconds(120), first.NextAttemptAt - first.LastAttemptAt!.Value);
        _app.Advance(TimeSpan.FromSeconds(120));
        var second = await _app.WaitForAttemptsAsync(delivery, 2);
        Assert.Equal(date.AddMinutes(2).UtcDateTime, second.NextAttemptAt, TimeSpan.FromSeconds(1));
        _app.Advance(second.NextAttemptAt - second.LastAttemptAt!.Value);
        var third = await _app.WaitForAsync(delivery, d => d.Status == WebhookDeliveryStatus.Succeeded, "the third attempt succeeded");
        Assert.Equal(204, third.StatusCode);
    }

    [Fact]
    public async Task Gone_DisablesTheEndpoint_AndStopsItsDeliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Program("/gone", _ => new Answer(410));
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/gone"));

        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());

        var row = await _app.WaitForAsync(delivery, d => d.Status == WebhookDeliveryStatus.Failed, "the delivery failed");
        Assert.Equal(1, row.Attempts);
        var endpoint = await (await client.GetAsync($"/api/v1/webhooks/{id}")).DataAsync();
        Assert.False(endpoint["enabled"]!.GetValue<bool>());
        Assert.Contains("410", endpoint["disabled_reason"]!.GetValue<string>());
    }

    /// <summary>Deliveries this node claimed before the endpoint said 410 are not sent after it: they fail without a
    /// request, as a disabled endpoint's do. Only those already in flight (at most the per-endpoint concurrency) reach it.</summary>
    [Fact]
    public async Task Gone_FailsTheDeliveriesAlreadyQueuedForTheEndpoint_WithoutSendingThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var answer = new TaskCompletionSource();
        receiver.Program("/gone-queued", _ => new Answer(410, Until: answer.Task));
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/gone-queued"));
        var deliveries = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            deliveries.Add(Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>()));
        }

        // 4 in flight (the per-endpoint concurrency), held by the receiver; at least one more claimed and queued on this node
        await receiver.WaitForAsync("/gone-queued", 4);
        await PenguinMailsFactory.Eventually(async () => await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters()
            .CountAsync(d => d.EndpointId == id && d.LeaseToken != null)) >= 5, "a fifth delivery claimed and queued");
        answer.SetResult();

        foreach (var delivery in deliveries)
        {
            await _app.WaitForAsync(delivery, d => d.Status == WebhookDeliveryStatus.Failed, "every delivery failed");
        }

        var rows = await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => d.EndpointId == id).ToListAsync());
        Assert.Equal(4, receiver.At("/gone-queued").Count); // none after the 410s: not the queued, not those claimed later
        Assert.Equal(4, rows.Count(r => r.Attempts == 1 && r.StatusCode == 410));
        var unsent = rows.Where(r => r.Attempts == 0).ToList();
        Assert.Equal(4, unsent.Count);
        Assert.Contains(unsent, r => r.Error == "The endpoint answered 410 Gone and is disabled."); // the queued one(s)
        Assert.All(unsent, r => Assert.Contains(r.Error, new[] { "The endpoint answered 410 Gone and is disabled.", "The endpoint is disabled." }));
    }

    /// <summary>A success ends the endpoint's failing streak even when the copy its claim loaded predates the failure that
    /// started it (recorded meanwhile by another claim or node): otherwise an answering endpoint could be disabled.</summary>
    [Fact]
    public async Task ASuccess_EndsAFailingStreakRecordedAfterItsClaim()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var answer = new TaskCompletionSource();
        receiver.Program("/streak", _ => new Answer(200, Until: answer.Task));
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/streak"));
        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());
        await receiver.WaitForAsync("/streak", 1); // claimed, its endpoint loaded (not failing), the request held

        var failingSince = _app.Clock.GetUtcNow().UtcDateTime.AddDays(-4);
        await _app.RowsAsync(db => db.WebhookEndpoints.IgnoreQueryFilters().Where(e => e.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, failingSince)));
        answer.SetResult();

        await _app.WaitForAsync(delivery, d => d.Status == WebhookDeliveryStatus.Succeeded, "the delivery succeeded");
        Assert.Null(await _app.RowsAsync(db => db.WebhookEndpoints.IgnoreQueryFilters().Where(e => e.Id == id).Select(e => e.FailingSince).SingleAsync()));
    }

    [Fact]
    public async Task Redirect_IsNotFollowed_TheAttemptFails()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Program("/moved", _ => new Answer(302, new() { ["Location"] = "http://10.0.0.1/internal" }));
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/moved"));

        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());

        var row = await _app.WaitForAttemptsAsync(delivery, 1);
        Assert.Equal(302, row.StatusCode);
        Assert.Equal(WebhookDeliveryStatus.Pending, row.Status); // retried later, never redirected
        Assert.Contains("redirects are not followed", row.Error);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task ASlowEndpoint_DoesNotHoldUpAnother()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var release = new SemaphoreSlim(0);
        receiver.Program("/slow", _ => new Answer(200, Delay: TimeSpan.FromSeconds(8)));
        var (_, client) = await _app.TenantAsync();
        var (slow, _) = await client.CreateEndpointAsync(receiver.Url("/slow"));
        var (fast, _) = await client.CreateEndpointAsync(receiver.Url("/fast"));
        for (var i = 0; i < 12; i++)
        {
            await client.TestEventAsync(slow);
        }

        await receiver.WaitForAsync("/slow", 4);
        var started = Environment.TickCount64;
        await client.TestEventAsync(fast);
        await receiver.WaitForAsync("/fast", 1);

        Assert.True(Environment.TickCount64 - started < 3000, "the fast endpoint waited for the slow one");
        Assert.Equal(4, receiver.At("/slow").Count); // at most its own slots in flight
    }

    [Fact]
    public async Task DeliveryLog_Filters_ReplayKeepsTheWebhookId_RangeReplaysTheFailedOnes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Program("/log", n => n == 1 ? new Answer(410) : new Answer(200));
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/log"));
        var from = _app.Clock.GetUtcNow();
        var failed = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());
        await _app.WaitForAsync(failed, d => d.Status == WebhookDeliveryStatus.Failed, "the first delivery failed");
        await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { enabled = true });

        var replay = await (await client.PostAsync($"/api/v1/webhooks/deliveries/{failed}/replay", null)).DataAsync(202);
        await receiver.WaitForAsync("/log", 2);
        await _app.WaitForAsync(Guid.Parse(replay["id"]!.GetValue<string>()), d => d.Status == WebhookDeliveryStatus.Succeeded, "the replay succeeded");

        Assert.Equal(receiver.At("/log")[0].Id, receiver.At("/log")[1].Id);
        Assert.Equal(receiver.At("/log")[0].Body, receiver.At("/log")[1].Body);
        Assert.Single(await client.DeliveriesAsync(id, "?status=failed"));
        Assert.Single(await client.DeliveriesAsync(id, "?status=succeeded"));
        Assert.Equal(2, (await client.DeliveriesAsync(id, "?event_type=webhook.test")).Count);
        Assert.Empty(await client.DeliveriesAsync(id, "?event_type=email.sent"));
        var paged = await (await client.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=1")).BodyAsync();
        Assert.True(paged["meta"]!["pagination"]!["has_more"]!.GetValue<bool>());
        await (await client.GetAsync($"/api/v1/webhooks/{id}/deliveries?status=bogus")).ErrorAsync(400, "VALIDATION_ERROR");
        await (await client.GetAsync($"/api/v1/webhooks/{id}/deliveries?from=yesterday")).ErrorAsync(400, "VALIDATION_ERROR");

        var to = _app.Clock.GetUtcNow().AddSeconds(1);
        var range = await (await client.PostJsonAsync($"/api/v1/webhooks/{id}/replay", new { from, to })).DataAsync(202);
        Assert.Equal(1, range["replayed"]!.GetValue<int>());
        await receiver.WaitForAsync("/log", 3);
        Assert.Equal(receiver.At("/log")[0].Id, receiver.At("/log")[2].Id);
    }

    [Fact]
    public async Task ReplayingAnEventStillRetrying_SendsItNow_WithoutASecondCopy_AndADisabledEndpointRefusesTestsAndReplays()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Program("/flaky", _ => new Answer(500));
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/flaky"));
        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());
        var first = await _app.WaitForAttemptsAsync(delivery, 1);
        Assert.Equal(WebhookDeliveryStatus.Pending, first.Status);
        Assert.True(first.NextAttemptAt > _app.Clock.GetUtcNow().UtcDateTime); // the clock stands still: only a replay makes it due

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var replay = await (await client.PostAsync($"/api/v1/webhooks/deliveries/{delivery}/replay", null)).DataAsync(202);
            Assert.Equal(delivery.ToString(), replay["id"]!.GetValue<string>());
        }

        var from = _app.Clock.GetUtcNow().AddMinutes(-1);
        var to = _app.Clock.GetUtcNow().AddMinutes(1);
        await _app.WaitForAttemptsAsync(delivery, 2);
        Assert.Single(await client.DeliveriesAsync(id));
        Assert.Single(receiver.At("/flaky").Select(r => r.Id).Distinct());

        await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { enabled = false });
        var refusals = new[]
        {
            await client.PostAsync($"/api/v1/webhooks/{id}/test", null),
            await client.PostAsync($"/api/v1/webhooks/deliveries/{delivery}/replay", null),
            await client.PostJsonAsync($"/api/v1/webhooks/{id}/replay", new { from, to }),
        };
        foreach (var refused in refusals)
        {
            var error = await refused.ErrorAsync(409, "RESOURCE_CONFLICT");
            Assert.Contains("disabled", error["message"]!.GetValue<string>());
        }

        Assert.Single(await client.DeliveriesAsync(id));
    }

    [Fact]
    public async Task OtherTenants_CannotSeeOrReplay()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (_, owner) = await _app.TenantAsync();
        var (_, stranger) = await _app.TenantAsync();
        var (id, _) = await owner.CreateEndpointAsync(receiver.Url("/mine"));
        var delivery = (await owner.TestEventAsync(id))["id"]!.GetValue<string>();

        await (await stranger.GetAsync($"/api/v1/webhooks/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await stranger.GetAsync($"/api/v1/webhooks/{id}/deliveries")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await stranger.PostAsync($"/api/v1/webhooks/deliveries/{delivery}/replay", null)).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await stranger.DeleteAsync($"/api/v1/webhooks/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        Assert.Empty(await (await stranger.GetAsync("/api/v1/webhooks")).DataAsync() as JsonArray ?? []);
    }

    [Fact]
    public async Task DeliveryLog_IsPrunedAfterItsRetention()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenant, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/old"));
        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());
        await _app.WaitForAsync(delivery, d => d.Status == WebhookDeliveryStatus.Succeeded, "the delivery succeeded");
        var retention = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<WebhookRetention>(_app.Services);

        var receipt = $"event:{Guid.NewGuid():N}"; // an inbound ESP event's de-duplication receipt, as old as the delivery
        await using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(_app.Services))
        {
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<PenguinMails.Tenancy.TenantContext>(scope.ServiceProvider).Enter(tenant);
            var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<PenguinMails.Data.AppDb>(scope.ServiceProvider);
            db.EspReceipts.Add(new PenguinMails.Esp.EspReceipt { TenantId = tenant, Key = receipt, AtUnix = _app.Clock.GetUtcNow().ToUnixTimeSeconds() });
            await db.SaveChangesAsync();
        }

        await retention.PruneAsync(default);
        Assert.Single(await client.DeliveriesAsync(id));
        Assert.True(await _app.RowsAsync(db => db.EspReceipts.IgnoreQueryFilters().AnyAsync(r => r.Key == receipt)));
        _app.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        await retention.PruneAsync(default);

        Assert.Empty(await client.DeliveriesAsync(id));
        Assert.False(await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AnyAsync(d => d.Id == delivery)));
        Assert.False(await _app.RowsAsync(db => db.EspReceipts.IgnoreQueryFilters().AnyAsync(r => r.Key == receipt)));
    }

    [Fact]
    public async Task Delete_StopsDeliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Program("/deleted", _ => new Answer(500));
        var (_, client) = await _app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/deleted"));
        var delivery = Guid.Parse((await client.TestEventAsync(id))["id"]!.GetValue<string>());
        var row = await _app.WaitForAttemptsAsync(delivery, 1);

        await (await client.DeleteAsync($"/api/v1/webhooks/{id}")).DataAsync();
        _app.Advance(row.NextAttemptAt - row.LastAttemptAt!.Value);

        var last = await _app.WaitForAsync(delivery, d => d.Status == WebhookDeliveryStatus.Failed, "the delivery was given up");
        Assert.Equal(1, last.Attempts);
        Assert.Single(receiver.Received);
        await (await client.GetAsync($"/api/v1/webhooks/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }
}

public sealed class WebhookDeliverySqliteTests(SqliteFactory app) : WebhookDeliveryTests(app), IClassFixture<SqliteFactory>;

public sealed class WebhookDeliveryPostgresTests(PostgresFactory app) : WebhookDeliveryTests(app), IClassFixture<PostgresFactory>;
