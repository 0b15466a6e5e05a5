using System.Threading.Channels;
using PenguinMails.Emails;

namespace PenguinMails.Delivery;

/// <summary>One finished attempt, waiting to be recorded.</summary>
public sealed record DeliveryRecord(EmailMessage Email, DeliveryOutcome Outcome, DateTimeOffset Started, int DurationMs);

/// <summary>
/// Group commit for delivery outcomes: the workers hand over what each attempt decided and go on sending, one
/// writer records whatever has accumulated in one transaction (<see cref="DeliveryRecorder"/>), then the next lot.
/// Alone, an outcome is written at once; under load a commit carries many. Until its outcome is committed a message
/// stays leased to this node, so a crash before the commit sends it again after the lease (at least once, never lost).
/// The queue is bounded: workers wait when the database falls behind.
/// </summary>
public sealed class OutcomeWriter(DeliveryRecorder recorder, ILogger log, int capacity)
{
    private const int MaxPerCommit = 500;

    private readonly Channel<DeliveryRecord> _queue =
        Channel.CreateBounded<DeliveryRecord>(new BoundedChannelOptions(capacity) { SingleReader = true });

    public ValueTask AddAsync(DeliveryRecord record, CancellationToken ct) => _queue.Writer.WriteAsync(record, ct);

    /// <summary>No more outcomes: <see cref="RunAsync"/> writes what is queued and returns.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken ct)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new List<DeliveryRecord>();
            while (batch.Count < MaxPerCommit && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                await recorder.SaveAsync(batch, ct);
            }
            catch (Exception e)
            {
                // Nothing of the batch was committed: its messages stay leased and are delivered again when the lease ends.
                log.LogError(e, "Recording the outcomes of {Count} deliveries failed; they are delivered again when their leases expire.", batch.Count);
            }
        }
    }
}
