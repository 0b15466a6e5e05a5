using System.Net;
using System.Net.Sockets;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>
/// Ports for the servers the tests start on loopback (SMTP, DNS, IMAP, Redis, extra server nodes, webhook receivers).
/// A port the kernel hands out for port 0 comes from the ephemeral range (Linux: 32768–60999), the same range every
/// outgoing connection of the run draws from, so between closing the probe and the server's own bind another socket
/// can take it (CI once saw the DNS server's TCP bind fail that way). These ports come from below that range instead,
/// are free for both TCP and UDP when handed out, and are never handed out twice in one run.
/// </summary>
public static class LoopbackPorts
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static readonly HashSet<int> Given = [];
    private static readonly Lock Sync = new();

    /// <summary>A loopback port on which a TCP listener and a UDP socket could both bind just now.</summary>
    public static int Free()
    {
        lock (Sync)
        {
            for (var tries = 0; tries < 1000; tries++)
            {
                var port = Random.Shared.Next(First, Last);
                if (!Given.Contains(port) && Bindable(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port between {First} and {Last}");
    }

    private static bool Bindable(int port)
    {
        try
        {
            var tcp = new TcpListener(IPAddress.Loopback, port);
            tcp.Start();
            try
            {
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
            }
            finally
            {
                tcp.Stop();
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
