using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace PenguinMails.Delivery;

/// <summary>
/// The background dispatcher: claims due messages under a lease and hands them to <see cref="DeliveryOptions.Concurrency"/>
/// workers, each with its own transport (its own SMTP connection, reused from message to message). It sleeps
/// until a send on this node wakes it or the poll interval passes (both on the injected clock).
/// </summary>
public sealed class EmailDispatcher(QueueClaims claims, MessageDelivery delivery, DispatchSignal signal,
    IOptions<PenguinMailsOptions> options, TimeProvider time, ILogger<EmailDispatcher> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Delivery.Enabled)
        {
            return;
        }

        var concurrency = Math.Max(1, settings.Delivery.Concurrency);
        var queue = Channel.CreateBounded<Guid>(concurrency * 4);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(queue.Reader, stoppingToken), stoppingToken)).ToList();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = signal.Next;
                List<Guid> claimed;
                try
                {
                    claimed = await claims.ClaimAsync(concurrency * 4, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Claiming due messages failed; trying again after the poll interval.");
                    claimed = [];
                }

                foreach (var id in claimed)
                {
                    await queue.Writer.WriteAsync(id, stoppingToken);
                }

                if (claimed.Count == 0)
                {
                    await SleepAsync(wake, TimeSpan.FromSeconds(settings.Delivery.PollSeconds), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task WorkAsync(ChannelReader<Guid> queue, CancellationToken stop)
    {
        await using var transport = MailTransports.Create(options.Value);
        var idle = TimeSpan.FromSeconds(options.Value.Smtp.IdleSeconds);
        while (!stop.IsCancellationRequested)
        {
            if (!queue.TryRead(out var id))
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                wait.CancelAfter(idle);
                try
                {
                    if (!await queue.WaitToReadAsync(wait.Token))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await transport.IdleAsync(stop);
                }

                continue;
            }

            try
            {
                await delivery.DeliverAsync(id, transport, stop);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // The lease is left to run out: the message is tried again then, by this node or another.
                log.LogError(e, "Delivering {MessageId} failed unexpectedly; it is retried when its lease expires.", id);
            }
        }
    }

    private async Task SleepAsync(Task wake, TimeSpan poll, CancellationToken stop)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var delay = Task.Delay(poll, time, cancel.Token);
        await Task.WhenAny(wake, delay);
        await cancel.CancelAsync();
        stop.ThrowIfCancellationRequested();
    }
}

/// <summary>The SMTP relay when a host is configured, otherwise the pickup directory.</summary>
public static class MailTransports
{
    public static IMailTransport Create(PenguinMailsOptions options) =>
        string.IsNullOrWhiteSpace(options.Smtp.Host)
            ? new PickupDirectoryTransport(string.IsNullOrWhiteSpace(options.Delivery.PickupDirectory)
                ? options.DataPath("outbox")
                : Path.GetFullPath(options.Delivery.PickupDirectory))
            : new SmtpTransport(options.Smtp);
}
