using System.Threading.Channels;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Tenancy;

namespace PenguinMails.Emails;

/// <summary>
/// Group commit for accepted messages: sends that arrive together are written in one transaction per tenant,
/// so that a burst of sends costs one durable commit (one fsync) instead of one each, and set-based
/// (<see cref="QueuedMessages"/>: multi-row INSERTs or COPY, no change tracking). Every caller is answered
/// only after the transaction holding its messages has committed.
/// </summary>
public sealed class IntakeWriter : IDisposable
{
    private const int MaxMessagesPerCommit = 1000;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory _scopes;
    private readonly WriteGate _gate;
    private readonly CancellationTokenSource _stop = new();

    public IntakeWriter(IServiceScopeFactory scopes, WriteGate gate)
    {
        (_scopes, _gate) = (scopes, gate);
        _ = Task.Run(WriteLoopAsync);
    }

    public Task WriteAsync(Guid tenantId, IReadOnlyCollection<EmailMessage> messages, IReadOnlyCollection<EmailEvent> events)
    {
        var pending = new Pending(tenantId, messages, events, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException(new ObjectDisposedException(nameof(IntakeWriter)));
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(_stop.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
        {
            var batch = new List<Pending>();
            var count = 0;
            while (count < MaxMessagesPerCommit && reader.TryRead(out var item))
            {
                batch.Add(item);
                count += item.Messages.Count;
            }

            foreach (var tenant in batch.GroupBy(p => p.TenantId))
            {
                await CommitAsync(tenant.Key, tenant.ToList());
            }
        }
    }

    private async Task CommitAsync(Guid tenantId, List<Pending> group)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantId);
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            var outbox = scope.ServiceProvider.GetRequiredService<Webhooks.WebhookOutbox>();
            using (await _gate.EnterAsync(db, _stop.Token))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(_stop.Token);
                await QueuedMessages.WriteAsync(db, outbox, [.. group.SelectMany(p => p.Messages)], [.. group.SelectMany(p => p.Events)], _stop.Token);
                await transaction.CommitAsync(_stop.Token);
            }

            group.ForEach(p => p.Done.TrySetResult());
        }
        catch (Exception e)
        {
            group.ForEach(p => p.Done.TrySetException(e));
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _stop.Cancel();
        _stop.Dispose();
    }

    private sealed record Pending(Guid TenantId, IReadOnlyCollection<EmailMessage> Messages, IReadOnlyCollection<EmailEvent> Events, TaskCompletionSource Done);
}
