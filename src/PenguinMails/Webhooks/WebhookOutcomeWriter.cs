using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Storage;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Tenancy;

namespace PenguinMails.Webhooks;

/// <summary>
/// Writes the dispatcher's outcomes in groups, off the senders' path: whatever finished within <see cref="GatherMilliseconds"/>
/// of the group's first outcome, or while the previous group was being written, goes in the next, up to <see cref="MaxGroup"/>. Successes to an endpoint that was not failing — nearly
/// all of them — are one conditional UPDATE each (only while this node's lease token still holds), all in one
/// transaction; failures, and successes that end an endpoint's failing streak, take <see cref="WebhookOutcomes"/>
/// (retry schedule, disabling, the admins' alert) in their tenant's scope. Every write is conditional: the outcome of a
/// delivery deleted meanwhile (a contact's erasure, retention) or leased to another node matches no row and is dropped,
/// never failing the rest of its group. Unbounded: an attempt made is never dropped, and the senders are bounded by the
/// dispatcher's slots anyway.
/// </summary>
public sealed class WebhookOutcomeWriter(IServiceScopeFactory scopes, WriteGate gate, TimeProvider time, ILogger<WebhookOutcomeWriter> log)
{
    public const int MaxGroup = 256;

    /// <summary>
    /// How long a group gathers after its first outcome, in milliseconds: a fifth of the server's CPU per delivery was
    /// groups of a few outcomes each, a transaction (and an fsync) apiece; gathering 20 ms took deliveries from 3,600 to
    /// 4,200–4,400 a second (bench/README.md "Webhooks"). Only the outcome's record waits, never the delivery.
    /// </summary>
    public const int GatherMilliseconds = 20;

    private readonly Channel<Item> _items = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Item(WebhookClaims.Claimed Claim, WebhookEndpoint Endpoint, WebhookAttempt? Attempt, string? AbandonReason);

    public void Add(WebhookClaims.Claimed claim, WebhookEndpoint endpoint, WebhookAttempt attempt) =>
        _items.Writer.TryWrite(new Item(claim, endpoint, attempt, null));

    /// <summary>A delivery that cannot be attempted (its endpoint was disabled or deleted) fails without a request.</summary>
    public void Abandon(WebhookClaims.Claimed claim, string reason) => _items.Writer.TryWrite(new Item(claim, null!, null, reason));

    /// <summary>No more outcomes: <see cref="RunAsync"/> ends once it has written what it has.</summary>
    public void Complete() => _items.Writer.TryComplete();

    /// <summary>Writes groups until <see cref="Complete"/>; never cancelled, so that no recorded attempt is lost at shutdown.</summary>
    public async Task RunAsync()
    {
        var group = new List<Item>(MaxGroup);
        while (await _items.Reader.WaitToReadAsync())
        {
            Take(group);
            if (group.Count < MaxGroup)
            {
                await Task.Delay(GatherMilliseconds); // real time: a batching window, not a schedule the test clock drives
                Take(group);
            }

            try
            {
                await WriteAsync(group);
            }
            catch (Exception e)
            {
                log.LogError(e, "Recording {Count} webhook outcomes failed; those deliveries are tried again when their leases end.", group.Count);
            }

            group.Clear();
        }
    }

    private void Take(List<Item> group)
    {
        while (group.Count < MaxGroup && _items.Reader.TryRead(out var item))
        {
            group.Add(item);
        }
    }

    private async Task WriteAsync(List<Item> group)
    {
        var plain = group.Where(i => i.Attempt is { Succeeded: true } && i.Endpoint.FailingSince is null).ToList();
        if (plain.Count > 0)
        {
            await WriteSuccessesAsync(plain);
        }

        foreach (var item in group.Except(plain))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(item.Claim.TenantId);
            var recorder = scope.ServiceProvider.GetRequiredService<WebhookOutcomes>();
            await (item.Attempt is { } attempt
                ? recorder.RecordAsync(item.Claim, item.Endpoint, attempt, CancellationToken.None)
                : recorder.AbandonAsync(item.Claim, item.AbandonReason!, CancellationToken.None));
        }
    }

    private async Task WriteSuccessesAsync(List<Item> successes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var now = time.GetUtcNow().UtcDateTime;
        using (await gate.EnterAsync(db, CancellationToken.None))
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            foreach (var chunk in successes.Chunk(SucceededStatement.RowsPerStatement))
            {
                await using var command = SucceededStatement.Create(db, tx.GetDbTransaction(), now,
                    chunk.Select(i => (i.Claim.Id, i.Claim.Token, i.Attempt!)).ToList());
                await command.ExecuteNonQueryAsync();
            }

            // Their copies said "not failing", but a failure recorded since (another claim's copy, another node) may have
            // started a streak: a success ends it, or the endpoint could be disabled for failing while it answers.
            var endpoints = successes.Select(i => i.Endpoint.Id).Distinct().ToList();
            await db.Set<WebhookEndpoint>().IgnoreQueryFilters().Where(e => endpoints.Contains(e.Id) && e.FailingSince != null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.FailingSince, (DateTime?)null));
            await tx.CommitAsync();
        }
    }
}
