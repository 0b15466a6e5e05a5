using System.Net;

namespace PenguinMails.ApiKeys;

/// <summary>A key's allowed addresses: single IPv4/IPv6 addresses and CIDR ranges. Empty allows every address.</summary>
public sealed class IpAllowList
{
    private readonly IPNetwork[] _networks;

    private IpAllowList(IPNetwork[] networks) => _networks = networks;

    public static IpAllowList From(IEnumerable<string> entries) =>
        new(entries.Select(e => TryParse(e, out var network, out _) ? network : throw new FormatException(e)).ToArray());

    public bool AllowsAll => _networks.Length == 0;

    public bool Allows(IPAddress? address)
    {
        if (AllowsAll)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDottedDecimal(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit)
            && (p.Length == 1 || p[0] != '0') && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>Parses "198.51.100.5", "203.0.113.0/24", "2001:db8::/32"; the error says how to fix a bad entry.</summary>
    public static bool TryParse(string entry, out IPNetwork network, out string error)
    {
        network = default;
        error = "";
        var text = entry.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%', StringComparison.Ordinal))
        {
            error = $"'{entry}' is not an IPv4 or IPv6 address or CIDR range.";
            return false;
        }

        // IPAddress also accepts the legacy inet_aton forms — "203.0.113" (= 203.0.0.113), octal "010.0.0.1" (= 8.0.0.1),
        // hex "0x0a.0.0.1" — which read as another address than the one people mean. Only dotted decimal (RFC 6943 §3.1.1).
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IsDottedDecimal(addressText))
        {
            error = $"'{entry}' must be written as four decimal numbers 0–255 without leading zeros (e.g. 192.168.1.10).";
            return false;
        }

        var maxBits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var bits = maxBits;
        // A prefix length is decimal digits, without a sign, spaces or leading zeros: "/010" would be 10 here and 8 to a
        // reader of octal, the ambiguity refused in the address itself (RFC 6943 §3.1.1; RFC 4632 §3.1 writes it plainly).
        var prefix = slash < 0 ? null : text[(slash + 1)..];
        if (prefix is not null && !(prefix.Length is >= 1 and <= 3 && prefix.All(char.IsAsciiDigit) && (prefix.Length == 1 || prefix[0] != '0')))
        {
            error = $"'{entry}' must give its prefix length as a decimal number 0–{maxBits} without a sign or leading zeros (e.g. /24).";
            return false;
        }

        if (prefix is not null && ((bits = int.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture)) > maxBits))
        {
            error = $"'{entry}' has a prefix length outside 0–{maxBits}.";
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            // ::ffff:10.0.0.0/104 is 10.0.0.0/8: the IPv4 range in its IPv6 spelling (RFC 4291 §2.5.5.2).
            if (bits < 96)
            {
                error = $"'{entry}' is an IPv4-mapped address: its prefix length must be 96–128 (the IPv4 range's plus 96).";
                return false;
            }

            (address, bits) = (address.MapToIPv4(), bits - 96);
        }

        var candidate = new IPNetwork(Truncate(address, bits), bits);
        if (!candidate.BaseAddress.Equals(address))
        {
            error = $"'{entry}' has host bits set; did you mean {candidate}?";
            return false;
        }

        network = candidate;
        return true;
    }

    /// <summary>"203.0.113.5/32" → "203.0.113.5"; ranges keep their prefix length.</summary>
    public static string Normalize(string entry)
    {
        if (!TryParse(entry, out var network, out _))
        {
            return entry;
        }

        var single = network.PrefixLength == (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return single ? network.BaseAddress.ToString() : network.ToString();
    }

    private static IPAddress Truncate(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
