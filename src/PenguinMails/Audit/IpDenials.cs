using System.Globalization;

namespace PenguinMails.Audit;

/// <summary>
/// Turns requests refused by a key's IP allow-list into audit-log entries without letting a flood fill the log. Per key
/// and node: the first refusal after a quiet minute is written at once (who: the key's identifier; from where: the
/// address and user agent; what: method and path, never the query string); refusals that follow are counted, and one
/// entry a minute gives their number, addresses and last request, for as long as they go on. A key refused a million
/// times in an hour therefore leaves at most 61 entries per node. The minute runs on the injected clock.
/// </summary>
public sealed class IpDenials(SecurityEventWriter writer, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int AddressesNamed = 5;

    private readonly Dictionary<Guid, Burst> _bursts = [];

    /// <summary>A request with key <paramref name="keyId"/> (identifier <paramref name="keyIdentifier"/>) was refused for its address.</summary>
    public void Refused(Guid tenantId, Guid keyId, string keyIdentifier, string? ip, string? userAgent, string method, string path)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var request = $"{method} {AuditText.PathOnly(path)}";
        lock (_bursts)
        {
            if (_bursts.TryGetValue(keyId, out var burst))
            {
                burst.Add(ip, userAgent, request);
                return;
            }

            _bursts[keyId] = new Burst(tenantId, keyIdentifier, now);
        }

        writer.Record(tenantId, SecurityEventTypes.IpDenied, $"api_key:{keyIdentifier}", keyId, ip, userAgent,
            $"{request} refused: {ip ?? "an unknown address"} is not in the key's IP allow-list");
    }

    /// <summary>Writes the count of every burst whose minute is over (or of all, <paramref name="all"/>); forgets quiet keys.</summary>
    public void Sweep(bool all = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_bursts)
        {
            foreach (var (keyId, burst) in _bursts.ToList())
            {
                if (!all && now - burst.Since < Window)
                {
                    continue;
                }

                if (burst.Count == 0)
                {
                    _bursts.Remove(keyId);
                    continue;
                }

                writer.Record(burst.TenantId, SecurityEventTypes.IpDenied, $"api_key:{burst.KeyIdentifier}", keyId, burst.LastIp,
                    burst.LastUserAgent, burst.Describe(), (int)Math.Min(burst.Count, int.MaxValue));
                _bursts[keyId] = new Burst(burst.TenantId, burst.KeyIdentifier, now);
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

    private sealed class Burst(Guid tenantId, string keyIdentifier, DateTime since)
    {
        private readonly HashSet<string> _addresses = [];

        public Guid TenantId { get; } = tenantId;
        public string KeyIdentifier { get; } = keyIdentifier;
        public DateTime Since { get; } = since;
        public long Count { get; private set; }
        public string? LastIp { get; private set; }
        public string? LastUserAgent { get; private set; }
        private int _otherAddresses;
        private string _lastRequest = "";

        public void Add(string? ip, string? userAgent, string request)
        {
            Count++;
            (LastIp, LastUserAgent, _lastRequest) = (ip, userAgent, request);
            if (ip is not null && !_addresses.Contains(ip))
            {
                if (_addresses.Count < AddressesNamed)
                {
                    _addresses.Add(ip);
                }
                else
                {
                    _otherAddresses++;
                }
            }
        }

        public string Describe()
        {
            var from = string.Join(", ", _addresses) + (_otherAddresses > 0 ? $" and {_otherAddresses} other addresses" : "");
            return string.Create(CultureInfo.InvariantCulture,
                $"{Count} more requests refused since {Since:yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'} (not in the key's IP allow-list), from {from}; the last: {_lastRequest}");
        }
    }
}
