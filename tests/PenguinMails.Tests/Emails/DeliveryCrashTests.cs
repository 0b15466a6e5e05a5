using System.Net.Http.Json;
using MimeKit;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.RateLimiting;
using Xunit.Abstractions;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// Real server processes on the real clock delivering to the loopback SMTP server: a node killed with SIGKILL
/// in the middle of delivering loses nothing; two nodes on one PostgreSQL database never deliver one message twice.
/// </summary>
public sealed class DeliveryCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Messages = 1000;
    private readonly SmtpServer _smtp = new();

    private Dictionary<string, string> Environment(string dataDirectory) => new()
    {
        ["PenguinMails__DataDirectory"] = dataDirectory,
        ["PenguinMails__ApiKeys__HashSecret"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("crash-test-secret-crash-test-secret-0123")),
        ["PenguinMails__Smtp__Host"] = "127.0.0.1",
        ["PenguinMails__Smtp__Port"] = _smtp.Port.ToString(),
        ["PenguinMails__Smtp__Security"] = "none",
        ["PenguinMails__Delivery__LeaseSeconds"] = "3",
        ["PenguinMails__Delivery__PollSeconds"] = "0.2",
    };

    [Fact]
    public async Task KilledWhileDelivering_AfterRestartEveryAcceptedMessageArrives()
    {
        using var data = new TempDirectory();
        var environment = Environment(data.Path);
        var node = await ServerNode.StartAsync(environment);
        var accepted = await SendAsync(environment, node, "crash");
        await PenguinMailsFactory.Eventually(() => Task.FromResult(Received() >= 50), "the relay has some messages", 60_000);
        await node.DisposeAsync(); // Process.Kill: SIGKILL, mid-delivery
        var atKill = Received();
        Assert.True(atKill < Messages, $"all {atKill} messages were delivered before the kill; the test proved nothing");

        await using var restarted = await ServerNode.StartAsync(environment);
        await PenguinMailsFactory.Eventually(() => Task.FromResult(Ids().Distinct().Count() >= Messages),
            "every accepted message reached the relay", 180_000);
        var ids = Ids();
        var duplicates = ids.Count - ids.Distinct().Count();
        output.WriteLine($"accepted {accepted.Count}, received before the kill {atKill}, received in all {ids.Count}, " +
            $"distinct {ids.Distinct().Count()}, duplicates {duplicates} (messages in flight at the kill are sent again: at-least-once)");
        Assert.Subset(ids.ToHashSet(), accepted.ToHashSet());
        Assert.Equal(accepted.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task TwoNodesOnPostgres_NeverDeliverOneMessageTwice()
    {
        using var database = new TestDatabase();
        using var data = new TempDirectory();
        var environment = Environment(data.Path);
        environment["PenguinMails__Database__Provider"] = "postgres";
        environment["PenguinMails__Database__ConnectionString"] = database.ConnectionString;
        environment["PenguinMails__Delivery__LeaseSeconds"] = "300";
        await using var first = await ServerNode.StartAsync(environment);
        await using var second = await ServerNode.StartAsync(environment);
        var (accepted, key) = await SendWithKeyAsync(environment, first, "pair", 600);
        await PenguinMailsFactory.Eventually(() => Task.FromResult(Ids().Distinct().Count() >= accepted.Count),
            "every message reached the relay", 120_000);
        // Once every outcome is recorded no lease is left to expire: nothing can be delivered again after this.
        await PenguinMailsFactory.Eventually(() => AllRecordedAsync(first, key), "every delivery is recorded", 60_000);
        var nodes = await NodesAsync(first, key, accepted);
        output.WriteLine($"delivered by node: {string.Join(", ", nodes.Select(n => $"{n.Key}: {n.Value}"))}");
        Assert.Equal(accepted.Count, Ids().Count);
        Assert.True(nodes.Count == 2, "both nodes delivered some of the messages");
    }

    private static async Task<List<string>> SendAsync(Dictionary<string, string> environment, ServerNode node, string prefix) =>
        (await SendWithKeyAsync(environment, node, prefix, Messages)).Ids;

    private static async Task<(List<string> Ids, string Key)> SendWithKeyAsync(Dictionary<string, string> environment, ServerNode node, string prefix, int count)
    {
        var slug = await ServerNode.RunCliAsync(environment, "tenants", "create", "--name", prefix, "--plan", "business");
        var key = await ServerNode.RunCliAsync(environment, "keys", "create", "--tenant", slug, "--name", prefix, "--preset", "email_sending");
        await ServerNode.RunCliAsync(environment, "domains", "add", "--tenant", slug, "--name", "example.com", "--verified"); // the sender rule
        using var client = node.Client(key);
        var ids = new List<string>();
        for (var start = 0; start < count; start += 500)
        {
            var emails = Enumerable.Range(start, Math.Min(500, count - start)).Select(i => new
            {
                from = "s@example.com", to = $"{prefix}-{i}@example.com", subject = $"#{i}", text_body = "body", html_body = "<p>body</p>",
            });
            var data = await (await client.PostAsJsonAsync("/api/v1/emails/batch", new { emails })).DataAsync();
            ids.AddRange(data["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        }

        return (ids, key);
    }

    private int Received() => Directory.GetFiles(_smtp.Directory, "*.eml").Length;

    private List<string> Ids() => Headers().Select(h => h["X-PenguinMails-Id"]!).ToList();

    /// <summary>Which node delivered each message, from its delivery attempts; each message has exactly one successful attempt.</summary>
    private static async Task<bool> AllRecordedAsync(ServerNode node, string key)
    {
        using var client = node.Client(key);
        foreach (var status in new[] { "queued", "sending", "deferred" })
        {
            if ((await (await client.GetAsync($"/api/v1/emails?status={status}&limit=1")).DataAsync()).AsArray().Count > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<Dictionary<string, int>> NodesAsync(ServerNode node, string key, List<string> ids)
    {
        using var client = node.Client(key);
        var byNode = new Dictionary<string, int>();
        foreach (var id in ids)
        {
            var attempts = (await (await client.GetAsync($"/api/v1/emails/{id}")).DataAsync())["delivery_attempts"]!.AsArray();
            var sent = Assert.Single(attempts, a => a!["outcome"]!.GetValue<string>() == "sent")!;
            var name = sent["node"]!.GetValue<string>();
            byNode[name] = byNode.GetValueOrDefault(name) + 1;
        }

        return byNode;
    }

    private List<HeaderList> Headers() =>
        Directory.GetFiles(_smtp.Directory, "*.eml").Select(f =>
        {
            using var stream = File.OpenRead(f);
            return HeaderList.Load(stream);
        }).ToList();

    public void Dispose() => _smtp.Dispose();
}
