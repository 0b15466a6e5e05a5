using PenguinMails.Audit;

namespace PenguinMails.Esp;

/// <summary>
/// Inbound ESP webhook calls refused for their credentials or signature, as audit-log entries
/// (<see cref="SecurityEventTypes.EspWebhookRefused"/>) that a flood cannot multiply, as <see cref="IpDenials"/> does
/// for keys: per tenant and ESP on each node, the first refusal after a quiet minute is written at once with its reason
/// and address; those that follow are counted and written as one entry a minute (its <c>occurrences</c> the count).
/// </summary>
public sealed class EspRefusals(SecurityEventWriter writer, TimeProvider time) : BackgroundService
{
    private readonly Dictionary<(Guid Tenant, string Provider), Burst> _bursts = [];

    public void Refused(Guid tenantId, string provider, string reason, string? ip, string? userAgent)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_bursts)
        {
            if (_bursts.TryGetValue((tenantId, provider), out var burst))
            {
                _bursts[(tenantId, provider)] = burst with { Count = burst.Count + 1, Ip = ip, UserAgent = userAgent, Reason = reason };
                return;
            }

            _bursts[(tenantId, provider)] = new Burst(now, 0, ip, userAgent, reason);
        }

        writer.Record(tenantId, SecurityEventTypes.EspWebhookRefused, $"esp:{provider}", null, ip, userAgent,
            $"{provider} webhook call refused: {reason}");
    }

    /// <summary>Writes the count of every burst whose minute is over (or of all, <paramref name="all"/>); forgets quiet ones.</summary>
    public void Sweep(bool all = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_bursts)
        {
            foreach (var (key, burst) in _bursts.ToList())
            {
                if (!all && now - burst.Since < IpDenials.Window)
                {
                    continue;
                }

                _bursts.Remove(key);
                if (burst.Count > 0)
                {
                    writer.Record(key.Tenant, SecurityEventTypes.EspWebhookRefused, $"esp:{key.Provider}", null, burst.Ip, burst.UserAgent,
                        $"{burst.Count} more {key.Provider} webhook calls refused since {burst.Since:yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'}; the last: {burst.Reason}",
                        burst.Count);
                    _bursts[key] = new Burst(now, 0, null, null, "");
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Sweep(all: true);
    }

    private sealed record Burst(DateTime Since, int Count, string? Ip, string? UserAgent, string Reason);
}
