using Microsoft.EntityFrameworkCore;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Webhooks;

/// <summary>Two nodes of one deployment on one PostgreSQL database deliver each event exactly once between them.</summary>
public sealed class WebhookTwoNodePostgresTests(PostgresFactory app) : IClassFixture<PostgresFactory>, IDisposable
{
    private readonly List<PenguinMailsFactory> _nodes = [];

    [Fact]
    public async Task TwoNodes_DeliverEachEventOnce()
    {
        app.AllowLoopback();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenant, client) = await app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(receiver.Url("/both"));
        var second = new SecondNode(app);
        second.AllowLoopback();
        _nodes.Add(second);
        second.Client();

        const int events = 60;
        await Task.WhenAll(Enumerable.Range(0, events).Select(_ => client.TestEventAsync(id)));
        await receiver.WaitForAsync("/both", events);
        await PenguinMailsFactory.Eventually(async () => await app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters()
            .CountAsync(d => d.TenantId == tenant && d.Status == PenguinMails.Webhooks.WebhookDeliveryStatus.Succeeded)) == events, "every delivery was recorded");

        Assert.Equal(events, receiver.At("/both").Count);
        Assert.Equal(events, receiver.At("/both").Select(r => r.Id).Distinct().Count());
        Assert.All(await app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().Where(d => d.TenantId == tenant).ToListAsync()),
            d => Assert.Equal(1, d.Attempts));
    }

    public void Dispose() => _nodes.ForEach(n => n.Dispose());

    /// <summary>Another node: same database, secrets and master key; its own data directory and clock.</summary>
    private sealed class SecondNode(PenguinMailsFactory first) : PenguinMailsFactory
    {
        public override string Provider => first.Provider;
        public override string ConnectionString => first.ConnectionString;
        public override string HashSecret => first.HashSecret;
        public override string MasterKey => first.MasterKey;
    }
}
