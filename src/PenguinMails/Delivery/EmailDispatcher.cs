using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Delivery;

/// <summary>
/// The background dispatcher, a pipeline: it claims due messages under a lease in batches and reads each batch once,
/// while <see cref="DeliveryOptions.Concurrency"/> workers send what was claimed before, each with its own transport
/// (its own SMTP connection, reused from message to message), and one <see cref="OutcomeWriter"/> records their
/// outcomes a batch per commit. It sleeps until a send on this node wakes it or the poll interval passes (both on
/// the injected clock). On shutdown the outcomes already decided are written before it returns.
/// </summary>
public sealed class EmailDispatcher(QueueClaims claims, LeasedMessages leased, MessageDelivery delivery, DeliveryRecorder recorder,
    DispatchSignal signal, Esp.EspConfigCache espConfigs, IHttpClientFactory httpClients, IOptions<PenguinMailsOptions> options,
    TimeProvider time, ILogger<EmailDispatcher> log) : BackgroundService
{
    /// <summary>How long a stopping node goes on writing outcomes already decided.</summary>
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Delivery.Enabled)
        {
            return;
        }

        var concurrency = Math.Max(1, settings.Delivery.Concurrency);
        var batch = Math.Max(32, concurrency * 8);
        var queue = Channel.CreateBounded<LeasedMessage>(batch);
        var outcomes = new OutcomeWriter(recorder, log, batch * 4);
        using var flush = new CancellationTokenSource();
        var writing = Task.Run(() => outcomes.RunAsync(flush.Token), CancellationToken.None);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(queue.Reader, outcomes, stoppingToken), stoppingToken)).ToList();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = signal.Next;
                var pollAt = time.GetUtcNow() + TimeSpan.FromSeconds(settings.Delivery.PollSeconds); // before the claim judges "due"
                List<LeasedMessage> claimed;
                try
                {
                    claimed = await leased.LoadAsync(await claims.ClaimAsync(batch, stoppingToken), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Claiming due messages failed; trying again after the poll interval (messages claimed meanwhile wait for their lease to end).");
                    claimed = [];
                }

                foreach (var message in claimed)
                {
                    await queue.Writer.WriteAsync(message, stoppingToken);
                }

                if (claimed.Count == 0)
                {
                    await time.SleepUntilAsync(pollAt, wake, stoppingToken);
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
            outcomes.Complete();
            flush.CancelAfter(FlushTimeout);
            await writing;
        }
    }

    private async Task WorkAsync(ChannelReader<LeasedMessage> queue, OutcomeWriter outcomes, CancellationToken stop)
    {
        // Each message goes by its tenant's transport: the server's relay, or the tenant's Postmark or Mailgun.
        await using var transports = new Esp.TenantTransports(MailTransports.Create(options.Value), espConfigs, httpClients, options, time);
        var idle = TimeSpan.FromSeconds(options.Value.Smtp.IdleSeconds);
        while (!stop.IsCancellationRequested)
        {
            if (!queue.TryRead(out var message))
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
                    await transports.IdleAsync(stop);
                }

                continue;
            }

            try
            {
                // Not cancelled by the stop: an outcome decided is queued for the writer, which drains before shutdown.
                var transport = await transports.ForAsync(message.Email.TenantId, stop);
                await outcomes.AddAsync(await delivery.DeliverAsync(message, transport, stop), CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // The lease is left to run out: the message is tried again then, by this node or another.
                log.LogError(e, "Delivering {MessageId} failed unexpectedly; it is retried when its lease expires.", message.Email.Id);
            }
        }
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
