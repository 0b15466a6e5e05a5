using System.Net;
using System.Net.Sockets;

namespace PenguinMails.Webhooks;

/// <summary>
/// The HTTP client deliveries use: no redirects followed, no proxy, no cookies, and a connect step that resolves the
/// host itself and connects only to an address <see cref="WebhookAddressPolicy"/> permits — the address actually
/// connected to is the one checked, so a DNS answer that changed since the endpoint was saved (rebinding) is refused.
/// </summary>
public sealed class WebhookHttp : IDisposable
{
    private readonly SocketsHttpHandler _handler;

    public WebhookHttp(WebhookAddressPolicy policy)
    {
        _handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = 64,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = (context, ct) => ConnectAsync(policy, context.DnsEndPoint, ct),
        };
        Client = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    private static async ValueTask<Stream> ConnectAsync(WebhookAddressPolicy policy, DnsEndPoint endpoint, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal) ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var permitted = addresses.Where(policy.Permits).ToList();
        if (permitted.Count == 0)
        {
            throw new RefusedAddressException(addresses.Length == 0
                ? $"'{endpoint.Host}' does not resolve."
                : $"'{endpoint.Host}' resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}, which is not a public address.");
        }

        Exception? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct);
                if (socket.RemoteEndPoint is not IPEndPoint remote || !policy.Permits(remote.Address))
                {
                    throw new RefusedAddressException($"Connected to {socket.RemoteEndPoint}, which is not a public address.");
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException or RefusedAddressException)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last!;
    }

    public void Dispose()
    {
        Client.Dispose();
        _handler.Dispose();
    }
}

/// <summary>A connection the SSRF rules refused; the delivery fails with its message.</summary>
public sealed class RefusedAddressException(string message) : Exception(message);
