using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace PenguinMails.Tracking;

/// <summary>
/// Who is opening or clicking, for unique counts and write bounds, without storing addresses: an HMAC-SHA256 (keyed
/// from the server secret, so the 2^32 IPv4 addresses cannot be hashed through to reverse it) of the client's
/// IPv4 address, or of its IPv6 /64 (one host's or home's usual share). The user agent takes no part: a client
/// varying it in a loop stays one client.
/// </summary>
public sealed class ClientAddresses(byte[] serverSecret)
{
    private readonly byte[] _key = HMACSHA256.HashData(serverSecret, "penguinmails/tracking/client/v1"u8);

    /// <summary>32 hex characters; the same for every request from one address.</summary>
    public string Of(IPAddress? address)
    {
        var bytes = address switch
        {
            null => [],
            { IsIPv4MappedToIPv6: true } => address.MapToIPv4().GetAddressBytes(),
            { AddressFamily: AddressFamily.InterNetworkV6 } => address.GetAddressBytes()[..8],
            _ => address.GetAddressBytes(),
        };
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, bytes)[..16]);
    }
}
