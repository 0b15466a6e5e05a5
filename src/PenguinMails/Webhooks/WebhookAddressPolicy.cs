using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Webhooks;

/// <summary>
/// Where webhooks may go (SSRF, docs/decisions/0010): public unicast addresses only, unless inside a CIDR of
/// <see cref="WebhookOptions.AllowedPrivateRanges"/>. Refused: loopback, RFC 1918, link-local (the cloud metadata
/// address 169.254.169.254 with it), CGNAT 100.64/10, "this network" 0/8, benchmarking, documentation and reserved
/// ranges, multicast and broadcast; IPv6 loopback, unspecified and the deprecated IPv4-compatible ::a.b.c.d (all of
/// ::/96, RFC 4291 section 2.5.5.1), IPv4-translated ::ffff:0:a.b.c.d, ULA fc00::/7, link-local fe80::/10, multicast,
/// NAT64, 6to4, Teredo and documentation prefixes. A v4-mapped v6 address (::ffff:a.b.c.d) is judged as its v4
/// address. A URL's port must be 1 to 65535.
/// Checked when an endpoint is saved and again on every connection (WebhookHttp), so a name that later resolves
/// elsewhere (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookAddressPolicy
{
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/96"), IPNetwork.Parse("::ffff:0:0:0/96"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("2001::/32"), IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("2002::/16"), IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private readonly IPNetwork[] _allowed;

    public WebhookAddressPolicy(IOptions<WebhookOptions> options)
    {
        _allowed = options.Value.AllowedPrivateRanges.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => IPNetwork.Parse(r.Trim())).ToArray();
    }

    /// <summary>Inside a configured private range: may be used, over plain http too.</summary>
    public bool IsAllowedPrivate(IPAddress address) => _allowed.Any(n => n.Contains(Normal(address)) || n.Contains(address));

    /// <summary>Whether a connection to <paramref name="address"/> may be made.</summary>
    public bool Permits(IPAddress address) => IsAllowedPrivate(address) || IsPublic(address);

    public static bool IsPublic(IPAddress address)
    {
        var normal = Normal(address);
        if (normal.AddressFamily == AddressFamily.InterNetwork && normal.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        return normal.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 && !Refused.Any(n => n.Contains(normal));
    }

    /// <summary>A v4-mapped v6 address as its v4 address; scope ids dropped.</summary>
    private static IPAddress Normal(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    /// <summary>
    /// Checks an endpoint's URL as given: absolute http(s), no credentials, a host that resolves, every address it
    /// resolves to permitted, and https unless all of them are in an allowed private range. Null when acceptable.
    /// </summary>
    public async Task<string?> CheckAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return "url must be an absolute http or https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "url must not hold a user name or password; send credentials in a custom header instead.";
        }

        if (uri.Port is < 1 or > 65535)
        {
            return "url must have a port from 1 to 65535 (or none: 443 for https, 80 for http).";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "url must not have a fragment (#...).";
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var literal) ? [literal]
                : await ResolveAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
        catch (ArgumentException)
        {
            // The resolver refuses a name DNS cannot carry: over 255 octets or a label over 63 (RFC 1035 section 2.3.4).
            return $"The host '{TextClip.Shortened(uri.Host, 80)}' is too long to be a DNS name (RFC 1035 section 2.3.4).";
        }

        if (addresses.Length == 0)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }

        if (addresses.FirstOrDefault(a => !Permits(a)) is { } refused)
        {
            return $"url must point to a public address; '{uri.Host}' is {Describe(refused)}. Private, loopback, link-local, CGNAT, multicast and metadata addresses are refused.";
        }

        if (uri.Scheme == "http" && !addresses.All(IsAllowedPrivate))
        {
            return "url must use https.";
        }

        return null;
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return await Dns.GetHostAddressesAsync(host, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }
    }

    private static string Describe(IPAddress address) => address.IsIPv4MappedToIPv6 ? $"{address} ({address.MapToIPv4()})" : address.ToString();
}
