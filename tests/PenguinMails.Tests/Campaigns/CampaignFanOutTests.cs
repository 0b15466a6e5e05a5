using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Campaigns;
using PenguinMails.Contacts;
using PenguinMails.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Campaigns;

/// <summary>
/// The fan-out one batch at a time (this node's worker is off, batches of 3, no delivery): a node that stops after
/// a batch — a crash between batches — is taken over by another node on the same database once its lease runs
/// out, and every eligible contact gets exactly one message; pause stops the fan-out at a batch boundary and holds
/// the queued messages; cancel cancels them; a template gone mid-fan-out cancels the campaign (and a paused campaign's resume is refused).
/// </summary>
public abstract class CampaignFanOutTests : IDisposable
{
    private const int BatchSize = 3;
    private readonly PenguinMailsFactory _app;
    private readonly List<PenguinMailsFactory> _nodes = [];

    protected CampaignFanOutTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.Settings["PenguinMails:Campaigns:FanOutEnabled"] = "false";
        _app.Settings["PenguinMails:Campaigns:BatchSize"] = BatchSize.ToString();
        _app.Settings["PenguinMails:Delivery:Enabled"] = "false";
    }

    [Fact]
    public async Task CrashBetweenBatches_AnotherNodeFinishes_EveryEligibleContactGetsExactlyOneMessage()
    {
        var (tenant, client, id, eligible) = await CampaignWithContactsAsync(eligible: 10);
        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        Assert.True(await OneBatchAsync(_app, tenant, id));
        Assert.Equal(BatchSize, (await client.CampaignAsync(id)).Progress("recipients"));

        // The first node stops here (its worker never runs). A second node on the same database waits for the lease.
        var node = SecondNode();
        var nodeClient = node.Client(await KeyAsync(tenant));
        Assert.False(await OneBatchAsync(node, tenant, id)); // the first node's lease still holds the campaign
        Assert.Equal(BatchSize, (await nodeClient.CampaignAsync(id)).Progress("recipients"));

        node.Advance(TimeSpan.FromMinutes(2));
        var done = await node.WaitForCampaignAsync(nodeClient, id, CampaignKit.FanOutDone, "the second node completes the fan-out");

        Assert.Equal(eligible.Count, done.Progress("recipients"));
        var messages = await _app.CampaignMessagesAsync(tenant, id);
        Assert.Equal(eligible.Order(), messages.Select(m => m.ContactId!.Value).Order());
        Assert.Equal(messages.Count, messages.Select(m => m.ContactId).Distinct().Count());
    }

    [Fact]
    public async Task Pause_StopsAtABatchBoundary_HoldsQueuedMessages_ResumeFinishes()
    {
        var (tenant, client, id, eligible) = await CampaignWithContactsAsync(eligible: 7);
        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        Assert.True(await OneBatchAsync(_app, tenant, id));

        var paused = await (await client.PostAsync($"/api/v1/campaigns/{id}/pause", null)).DataAsync();
        Assert.Equal("paused", paused.Status());
        Assert.False(await OneBatchAsync(_app, tenant, id));
        Assert.Equal(BatchSize, (await client.CampaignAsync(id)).Progress("recipients"));
        Assert.All(await _app.CampaignMessagesAsync(tenant, id), m => Assert.Equal(EmailStatus.Held, m.Status));

        await (await client.PostAsync($"/api/v1/campaigns/{id}/resume", null)).DataAsync();
        Assert.All(await _app.CampaignMessagesAsync(tenant, id), m => Assert.Equal(EmailStatus.Queued, m.Status));
        while (await OneBatchAsync(_app, tenant, id))
        {
        }

        var done = await client.CampaignAsync(id);
        Assert.True(CampaignKit.FanOutDone(done));
        Assert.Equal(eligible.Count, done.Progress("recipients"));
        Assert.Equal(eligible.Count, done.Progress("pending"));
    }

    [Fact]
    public async Task Cancel_StopsTheFanOut_AndCancelsQueuedMessages()
    {
        var (tenant, client, id, _) = await CampaignWithContactsAsync(eligible: 5);
        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        Assert.True(await OneBatchAsync(_app, tenant, id));

        var cancelled = await (await client.PostAsync($"/api/v1/campaigns/{id}/cancel", null)).DataAsync();

        Assert.Equal("cancelled", cancelled.Status());
        Assert.Equal(BatchSize, cancelled.Progress("cancelled"));
        Assert.False(await OneBatchAsync(_app, tenant, id));
        var messages = await _app.CampaignMessagesAsync(tenant, id);
        Assert.All(messages, m => Assert.Equal(EmailStatus.Cancelled, m.Status));
        Assert.All(messages.SelectMany(m => m.Recipients), r => Assert.Equal(RecipientStatus.Cancelled, r.Status));
        var resume = await (await client.PostAsync($"/api/v1/campaigns/{id}/resume", null)).ErrorAsync(409, "RESOURCE_CONFLICT");
        Assert.Equal("cancelled", resume["details"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task TemplateGoneMidFanOut_CancelsTheCampaignWithWhy_AndItsQueuedMessages()
    {
        var (tenant, client, id, _) = await CampaignWithContactsAsync(eligible: 7, template: "fan-tpl");
        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        Assert.True(await OneBatchAsync(_app, tenant, id));

        await _app.RemoveTemplateRowAsync(tenant, "fan-tpl");
        Assert.False(await OneBatchAsync(_app, tenant, id));

        var cancelled = await client.CampaignAsync(id);
        Assert.Equal("cancelled", cancelled.Status());
        Assert.Contains("template 'fan-tpl' was deleted", cancelled["status_reason"]!.GetValue<string>());
        Assert.Equal((BatchSize, 0, BatchSize), (cancelled.Progress("recipients"), cancelled.Progress("skipped"), cancelled.Progress("cancelled")));
        Assert.All(await _app.CampaignMessagesAsync(tenant, id), m => Assert.Equal(EmailStatus.Cancelled, m.Status));
    }

    [Fact]
    public async Task PausedCampaign_ItsTemplateCannotBeDeleted_AndIfItGoesResumeIs422()
    {
        var (tenant, client, id, _) = await CampaignWithContactsAsync(eligible: 7, template: "fan-tpl");
        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        Assert.True(await OneBatchAsync(_app, tenant, id));
        await (await client.PostAsync($"/api/v1/campaigns/{id}/pause", null)).DataAsync();

        var refused = await (await client.DeleteAsync("/api/v1/templates/fan-tpl")).ErrorAsync(409, "RESOURCE_CONFLICT");
        Assert.Contains($"Campaign {id} is paused", refused["details"]![0]!["message"]!.GetValue<string>());
        await _app.RemoveTemplateRowAsync(tenant, "fan-tpl");
        var resume = await (await client.PostAsync($"/api/v1/campaigns/{id}/resume", null)).ErrorAsync(422, "TEMPLATE_NOT_FOUND");

        Assert.Equal("template_id", resume["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("paused", (await client.CampaignAsync(id)).Status());
        Assert.All(await _app.CampaignMessagesAsync(tenant, id), m => Assert.Equal(EmailStatus.Held, m.Status));
    }

    /// <summary>What the worker does for one batch: take the lease, then fan out one batch.</summary>
    private static async Task<bool> OneBatchAsync(PenguinMailsFactory node, Guid tenant, string id)
    {
        var leases = node.Services.GetRequiredService<CampaignLeases>();
        await leases.ClaimAsync(default);
        return await node.Services.GetRequiredService<CampaignFanOut>().RunBatchAsync(tenant, CampaignIds.Parse(id)!.Value, leases.Node, default);
    }

    /// <summary>A draft to the contacts tagged "fan", of inline content or of a new <paramref name="template"/>.</summary>
    private async Task<(Guid Tenant, HttpClient Client, string Id, List<Guid> Eligible)> CampaignWithContactsAsync(int eligible, string? template = null)
    {
        var (tenant, client) = await _app.CampaignClientAsync();
        var people = Enumerable.Range(0, eligible).Select(i => new CampaignKit.Person($"p{i}@example.com", $"P{i}") { Tags = ["fan"] }).ToList();
        var ids = await _app.AddContactsAsync(tenant, people);
        await _app.AddContactsAsync(tenant,
        [
            new("gone@example.com", Status: ContactStatus.Unsubscribed) { Tags = ["fan"] },
            new("other@example.com") { Tags = ["other"] },
        ]);
        if (template is not null)
        {
            await client.CreateTemplateAsync(template);
        }

        var id = (await client.CreateCampaignAsync(template is null ? CampaignKit.Inline(tags: ["fan"]) : CampaignKit.FromTemplate(template, ["fan"])))["id"]!.GetValue<string>();
        return (tenant, client, id, ids);
    }

    private async Task<string> KeyAsync(Guid tenant) => (await _app.CreateKeyAsync(tenant, CampaignKit.CampaignPermissions)).Key;

    private SecondNodeFactory SecondNode()
    {
        var connection = _app.Provider == "sqlite" ? $"Data Source={Path.Combine(_app.DataDirectory, "penguinmails.db")}" : _app.ConnectionString;
        var node = new SecondNodeFactory(_app.Provider, connection, _app.HashSecret);
        node.Settings["PenguinMails:Campaigns:BatchSize"] = BatchSize.ToString();
        node.Settings["PenguinMails:Delivery:Enabled"] = "false";
        _nodes.Add(node);
        return node;
    }

    public void Dispose()
    {
        _nodes.ForEach(n => n.Dispose());
        GC.SuppressFinalize(this);
    }

    /// <summary>Another node of the same deployment: same database and secret, its own data directory and clock.</summary>
    private sealed class SecondNodeFactory(string provider, string connectionString, string secret) : PenguinMailsFactory
    {
        public override string Provider => provider;
        public override string ConnectionString => connectionString;
        public override string HashSecret => secret;
    }
}

public sealed class CampaignFanOutSqliteTests(SqliteFactory f) : CampaignFanOutTests(f), IClassFixture<SqliteFactory>;

public sealed class CampaignFanOutPostgresTests(PostgresFactory f) : CampaignFanOutTests(f), IClassFixture<PostgresFactory>;
