using System.Text.Json.Nodes;
using PenguinMails.Tests.Cli;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// Issue 12, "Must show": a real <c>penguinmails serve</c> process on SQLite is killed (SIGKILL, no shutdown) while
/// webhook deliveries are pending — some waiting for a retry, some in flight to a receiver that answers slowly and
/// refuses (503, Retry-After) — and restarted on the same data: every event recorded before the kill reaches the
/// receiver (each webhook-id at least once, the same id as before the crash), with signatures the Standard Webhooks
/// reference library accepts. Real time throughout (the library refuses time stamps older than 5 minutes).
/// </summary>
public sealed class WebhookCrashProcessTests : IDisposable
{
    private const int Events = 20;
    private readonly PenguinMailsExecutable _executable = new();

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["PenguinMails__Webhooks__AllowedPrivateRanges__0"] = "127.0.0.0/8",
        // A claim of the killed process must lapse soon for the restarted one to take it over.
        ["PenguinMails__Webhooks__LeaseSeconds"] = "3",
    };

    [Fact]
    public async Task KilledWhileDeliveriesArePending_EveryEventIsDeliveredAfterRestart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var refusing = true;
        receiver.Program("/crash", _ => Volatile.Read(ref refusing)
            ? new Answer(503, new Dictionary<string, string> { ["Retry-After"] = "1" }, "busy", TimeSpan.FromMilliseconds(800))
            : new Answer(200));
        Assert.Equal(0, (await _executable.RunAsync("tenants", "create", "--name", "Crash")).Exit);
        var created = await _executable.RunAsync("keys", "create", "--tenant", "crash", "--name", "ci", "--preset", "full_access");
        Assert.True(created.Exit == 0, created.Err);
        var key = created.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.StartsWith("pm_", StringComparison.Ordinal)).Trim();

        var first = await ServeProcess.StartAsync(_executable, Settings);
        string secret;
        var emails = Enumerable.Range(1, Events).Select(i => $"crash{i:D2}@example.com").ToList();
        using (var client = first.Client(key))
        {
            var endpoint = await (await client.PostJsonAsync("/api/v1/webhooks",
                new { url = receiver.Url("/crash"), events = new[] { "contact.created" } })).DataAsync(201);
            secret = endpoint["secret"]!.GetValue<string>();
            foreach (var email in emails)
            {
                await (await client.PostJsonAsync("/api/v1/contacts", new { email })).DataAsync(201);
            }
        }

        // Refused attempts have been made and others are in flight (the receiver holds each for 800 ms): kill now.
        await PenguinMailsFactory.Eventually(() => Task.FromResult(receiver.At("/crash").Count >= 6), "6 refused attempts", 30_000);
        await first.StopAsync(); // Process.Kill: SIGKILL
        await first.DisposeAsync();
        var beforeCrash = receiver.At("/crash").Select(r => r.Id).ToHashSet();
        Assert.InRange(beforeCrash.Count, 1, Events - 1); // some events were tried, none was delivered, some never tried

        Volatile.Write(ref refusing, false);
        var refusedCount = receiver.At("/crash").Count;
        await using var second = await ServeProcess.StartAsync(_executable, Settings);
        await PenguinMailsFactory.Eventually(
            () => Task.FromResult(Delivered(receiver, refusedCount).Select(r => r.Id).Distinct().Count() >= Events), $"{Events} events delivered", 45_000);

        var delivered = Delivered(receiver, refusedCount);
        var ids = delivered.Select(r => r.Id).ToHashSet();
        Assert.Equal(Events, ids.Count);
        Assert.Subset(ids, beforeCrash); // a retry after the crash keeps the event's webhook-id
        var contacts = delivered.Select(r => JsonNode.Parse(r.Body)!).Select(b => (Type: b["type"]!.GetValue<string>(),
            Email: b["data"]!["email"]!.GetValue<string>())).ToList();
        Assert.All(contacts, c => Assert.Equal("contact.created", c.Type));
        Assert.Equal(emails, contacts.Select(c => c.Email).Distinct().Order().ToList());
        Assert.All(await StandardWebhooksVerifier.VerifyAsync(secret, delivered), r => Assert.Equal("ok", r));

        using var api = second.Client(key);
        var endpointId = (await (await api.GetAsync("/api/v1/webhooks")).DataAsync())[0]!["id"]!.GetValue<string>();
        await PenguinMailsFactory.Eventually(async () =>
        {
            var log = (JsonArray)await (await api.GetAsync($"/api/v1/webhooks/{endpointId}/deliveries?limit=100")).DataAsync();
            return log.Count == Events && log.All(d => d!["status"]!.GetValue<string>() == "succeeded");
        }, "the delivery log shows every event succeeded", 15_000);
    }

    /// <summary>The requests the receiver got after it stopped refusing (it answered each with 200).</summary>
    private static List<ReceivedWebhook> Delivered(WebhookReceiver receiver, int refused) => receiver.At("/crash").Skip(refused).ToList();

    public void Dispose() => _executable.Dispose();
}
