using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Webhooks;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// The outcome writer's groups when a delivery disappears between its answer and its record (a contact's erasure, retention):
/// its outcome is dropped and the rest of the group is recorded as usual. Real deliveries to a real receiver; the moment of
/// the deletion is made exact by <see cref="DeliveryWriteTrap"/>.
/// </summary>
public abstract class WebhookOutcomeGroupTests
{
    /// <summary>Deliveries whose answers wait together, so that their outcomes make one group.</summary>
    private const int Held = 6;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly PenguinMailsFactory _app;

    protected WebhookOutcomeGroupTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.AllowLoopback();
        _app.Settings["PenguinMails:Webhooks:PerEndpointConcurrency"] = "8"; // the held ones and the one behind them, all in flight
        DeliveryWriteTrap.Install(_app);
    }

    [Fact]
    public async Task ADeliveryDeletedBeforeItsOutcomeIsWritten_IsDropped_TheRestOfItsGroupIsRecordedOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var answers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Program("/hook", n => n switch
        {
            1 => new Answer(500), // the endpoint is failing from then on: its successes are recorded one by one, not in one statement
            <= Held + 1 => new Answer(200, Until: answers.Task),
            _ => new Answer(200),
        });
        var (_, client) = await _app.TenantAsync();
        var (endpoint, _) = await client.CreateEndpointAsync(receiver.Url("/hook"));
        await _app.WaitForAttemptsAsync(await TestEventAsync(client, endpoint), 1);
        var held = new List<Guid>();
        for (var i = 0; i < Held; i++)
        {
            held.Add(await TestEventAsync(client, endpoint));
        }

        await receiver.WaitForAsync("/hook", Held + 1);
        var events = await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().Where(d => held.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.EventId));

        // One more delivery, answered at once: its record waits in the trap while the held answers go, so that their outcomes
        // gather behind it into one group; the first of them to be written finds its delivery deleted.
        var trap = _app.Services.GetRequiredService<DeliveryWriteTrap>();
        var letGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var caught = trap.HoldNextAsync(letGo.Task);
        var blocker = await TestEventAsync(client, endpoint);
        await caught.WaitAsync(Patience);
        answers.SetResult();
        await receiver.WaitForAnsweredAsync("/hook", Held + 2);
        var deleted = trap.DeleteNextAsync(held);
        letGo.SetResult();
        var vanished = await deleted.WaitAsync(Patience);

        var recorded = held.Where(d => d != vanished).Append(blocker).ToList();
        try
        {
            await PenguinMailsFactory.Eventually(async () => await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters()
                .CountAsync(d => recorded.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Succeeded)) == recorded.Count, "the rest of the group was recorded");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} The outcome writer logged: {WriterLog()}", e);
        }

        var rows = await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().Where(d => recorded.Contains(d.Id)).ToListAsync());
        Assert.All(rows, row => Assert.Equal((1, null, (DateTime?)null, 200), (row.Attempts, row.LeaseToken, row.LeaseUntil, row.StatusCode)));
        Assert.False(await _app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AnyAsync(d => d.Id == vanished)));
        Assert.Empty(WriterLog());

        // Nothing is sent twice: once every lease has run out, a fresh event goes out and nothing of the group with it.
        _app.Advance(TimeSpan.FromSeconds(new WebhookOptions().LeaseSeconds + 1));
        var fresh = await TestEventAsync(client, endpoint);
        await _app.WaitForAsync(fresh, d => d.Status == WebhookDeliveryStatus.Succeeded, "the fresh delivery succeeded");
        events[blocker] = rows.Single(r => r.Id == blocker).EventId;
        var sent = receiver.At("/hook").GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(events.Values, e => Assert.Equal(1, sent.GetValueOrDefault(WebhookIds.Format(e))));
    }

    private string WriterLog() => string.Join("\n", _app.Logs.Lines.Where(l => l.Category == typeof(WebhookOutcomeWriter).FullName)
        .Select(l => $"{l.Level}: {l.Message} {l.Exception}"));

    private static async Task<Guid> TestEventAsync(HttpClient client, Guid endpoint) =>
        Guid.Parse((await client.TestEventAsync(endpoint))["id"]!.GetValue<string>());
}

public sealed class WebhookOutcomeGroupSqliteTests(SqliteFactory app) : WebhookOutcomeGroupTests(app), IClassFixture<SqliteFactory>;

public sealed class WebhookOutcomeGroupPostgresTests(PostgresFactory app) : WebhookOutcomeGroupTests(app), IClassFixture<PostgresFactory>;
