using System.Net;
using DnsClient;
using Microsoft.Extensions.Options;

namespace PenguinMails.Domains;

/// <summary>
/// Looks a domain's records up through DnsClient against <see cref="DomainOptions.DnsServers"/> (else the system's
/// resolvers), without a cache, so that a record just published or removed is seen. NXDOMAIN and an empty answer are
/// <c>missing</c>; a timeout, SERVFAIL or REFUSED is retried <see cref="DomainOptions.DnsRetries"/> times and then
/// reported as <c>dns_error</c>, which never counts as missing.
/// </summary>
public sealed class DnsChecker
{
    private readonly LookupClient _client;
    private readonly DomainOptions _options;

    public DnsChecker(IOptions<PenguinMailsOptions> options)
    {
        _options = options.Value.Domains;
        var servers = _options.DnsServers.Where(s => !string.IsNullOrWhiteSpace(s)).Select(Parse).ToArray();
        var settings = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        settings.UseCache = false;
        settings.Retries = 0;
        settings.ThrowDnsErrors = false;
        settings.ContinueOnDnsError = true;
        settings.Timeout = TimeSpan.FromSeconds(Math.Clamp(_options.DnsTimeoutSeconds, 0.1, 30));
        _client = new LookupClient(settings);
    }

    public async Task<List<DnsRecordCheck>> CheckAsync(IEnumerable<DnsRecordCheck> expected, CancellationToken ct)
    {
        var results = new List<DnsRecordCheck>();
        foreach (var record in expected)
        {
            results.Add(await CheckAsync(record, ct));
        }

        return results;
    }

    private async Task<DnsRecordCheck> CheckAsync(DnsRecordCheck record, CancellationToken ct)
    {
        var type = record.Type == "CNAME" ? QueryType.CNAME : QueryType.TXT;
        string? failure = null;
        for (var attempt = 0; attempt <= Math.Max(0, _options.DnsRetries); attempt++)
        {
            IDnsQueryResponse response;
            try
            {
                response = await _client.QueryAsync(record.Host, type, QueryClass.IN, ct);
            }
            catch (DnsResponseException e)
            {
                failure = e.Code == DnsResponseCode.ConnectionTimeout ? "the DNS server did not answer in time" : e.DnsError;
                continue;
            }
            catch (ArgumentException)
            {
                // DnsClient refuses a name DNS cannot carry (over 255 octets, a label over 63): no retry will help.
                return record with { Status = DnsRecordCheck.DnsError, Found = [], Detail = "the name is too long for DNS (RFC 1035 section 2.3.4)" };
            }

            var code = response.Header.ResponseCode;
            if (code == DnsHeaderResponseCode.NotExistentDomain)
            {
                return record with { Status = DnsRecordCheck.Missing, Found = [], Detail = "no such name (NXDOMAIN)" };
            }

            if (code != DnsHeaderResponseCode.NoError)
            {
                failure = "the DNS server answered " + code switch
                {
                    DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
                    DnsHeaderResponseCode.Refused => "REFUSED",
                    _ => code.ToString().ToUpperInvariant(),
                };
                continue;
            }

            var found = type == QueryType.CNAME
                ? response.Answers.CnameRecords().Select(c => c.CanonicalName.Value.TrimEnd('.').ToLowerInvariant()).ToList()
                : response.Answers.TxtRecords().Select(t => string.Concat(t.Text)).ToList();
            return DnsRecordMatch.Judge(record, found);
        }

        return record with { Status = DnsRecordCheck.DnsError, Found = [], Detail = failure + $" ({_options.DnsRetries + 1} tries); checked again later" };
    }

    private static IPEndPoint Parse(string server) => TryParse(server, out var endpoint) ? endpoint
        : throw new InvalidOperationException($"PenguinMails:Domains:DnsServers: '{server}' is not an IP address or IP:port.");

    /// <summary>An IP address, or IP:port (<c>[v6]:port</c>); port 53 when none is given.</summary>
    internal static bool TryParse(string server, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        if (IPEndPoint.TryParse(server.Trim(), out var parsed))
        {
            endpoint = parsed.Port == 0 ? new IPEndPoint(parsed.Address, 53) : parsed;
            return true;
        }

        endpoint = null;
        return false;
    }
}
