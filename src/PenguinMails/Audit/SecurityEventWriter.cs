using System.Threading.Channels;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Audit;

/// <summary>
/// Security events raised on the request path (a refused IP, through <see cref="IpDenials"/>) are queued and written in
/// batches, so a flood of refused requests cannot turn into a flood of synchronous writes. Events of deliberate changes
/// (a key created, revoked) are saved with the change itself, not here.
/// </summary>
public sealed class SecurityEventWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<SecurityEventWriter> logger)
    : BackgroundService
{
    private const int Capacity = 10_000;
    private readonly Channel<SecurityEvent> _queue = Channel.CreateBounded<SecurityEvent>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Record(Guid tenantId, string type, string actor, Guid? apiKeyId, string? ip, string? userAgent, string? detail,
        int occurrences = 1)
    {
        var entry = SecurityEvent.Of(type, new Users.ChangeActor(actor, ip, userAgent), time.GetUtcNow().UtcDateTime, detail, apiKeyId);
        entry.TenantId = tenantId;
        entry.Occurrences = occurrences;
        if (!_queue.Writer.TryWrite(entry))
        {
            logger.LogWarning("Security event queue full; dropped a {Type} event", type);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        var batch = new List<SecurityEvent>();
        while (batch.Count < 500 && _queue.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var group in batch.GroupBy(e => e.TenantId))
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(group.Key);
                var db = scope.ServiceProvider.GetRequiredService<AppDb>();
                db.SecurityEvents.AddRange(group);
                await db.SaveChangesAsync(ct);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Writing {Count} security events failed", batch.Count);
        }
    }
}
