using System.Text;

namespace PenguinMails.Tracking;

/// <summary>
/// The form of a link that may go into a <c>Location</c> header: what a browser sends for it. Following the WHATWG
/// URL standard's parsing, leading and trailing C0 controls and spaces are trimmed and tabs and newlines removed;
/// the host is percent-decoded and given its ASCII form by UTS #46 as browsers do (<see cref="DomainToAscii"/>:
/// <c>ＥＸ．ｃｏｍ</c> → <c>ex.com</c>, <c>bücher.example</c> → <c>xn--bcher-kva.example</c>); user info, path,
/// query and fragment are percent-encoded (UTF-8, RFC 3986) — every non-ASCII character, bidi controls included,
/// never dropped — so the result is printable ASCII only (RFC 9110 field values). A host without a valid ASCII form,
/// and an IPv6 address with a zone id (<c>[fe80::1%25eth0]</c>: browsers refuse those URLs), make no URL.
/// </summary>
public static class TrackedUrl
{
    /// <summary>The ASCII form of an absolute http(s) URL with a host, or null when <paramref name="href"/> is not one.</summary>
    public static string? ToAscii(string href)
    {
        var text = href.Trim(TrimmedChars).Replace("\t", "", StringComparison.Ordinal)
            .Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || text[..schemeEnd].ToLowerInvariant() is not ("http" or "https")
            || AsciiAuthority(text[(schemeEnd + 3)..], out var rest) is not { } authority
            || !Uri.TryCreate($"{text[..schemeEnd]}://{authority}{Escaped(rest)}", UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            return null;
        }

        var userInfo = uri.UserInfo.Length > 0 ? uri.GetComponents(UriComponents.UserInfo, UriFormat.UriEscaped) + "@" : "";
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port;
        var path = uri.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        var ascii = $"{uri.Scheme}://{userInfo}{host}{port}{path}";
        return IsHeaderSafe(ascii) ? ascii : null;
    }

    /// <summary>True when every character is visible ASCII (0x21–0x7E): safe in any header, whatever wrote it.</summary>
    public static bool IsHeaderSafe(string value) => value.Length > 0 && value.All(c => c is > ' ' and < '\u007f');

    /// <summary>
    /// The authority (up to the first <c>/ ? # \</c>) with its user info percent-encoded and its host in ASCII form;
    /// null when the host has none or is an IPv6 address with a zone id.
    /// </summary>
    private static string? AsciiAuthority(string afterScheme, out string rest)
    {
        var end = afterScheme.IndexOfAny(['/', '?', '#', '\\']) is var e and >= 0 ? e : afterScheme.Length;
        (var authority, rest) = (afterScheme[..end], afterScheme[end..]);
        var at = authority.LastIndexOf('@');
        var (userInfo, hostPort) = (authority[..(at + 1)], authority[(at + 1)..]);
        if (hostPort.StartsWith('['))
        {
            return hostPort.Contains('%', StringComparison.Ordinal) ? null : Escaped(userInfo) + hostPort;
        }

        var colon = hostPort.LastIndexOf(':');
        var (host, port) = colon >= 0 ? (hostPort[..colon], hostPort[colon..]) : (hostPort, "");
        return DomainToAscii.Convert(Uri.UnescapeDataString(host)) is { } ascii ? Escaped(userInfo) + ascii + Escaped(port) : null;
    }

    /// <summary>Every non-ASCII character as its UTF-8 bytes percent-encoded (a lone surrogate as U+FFFD's).</summary>
    private static string Escaped(string text)
    {
        if (text.All(char.IsAscii))
        {
            return text;
        }

        var result = new StringBuilder(text.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii)
            {
                result.Append((char)rune.Value);
                continue;
            }

            for (var i = 0; i < rune.EncodeToUtf8(utf8); i++)
            {
                result.Append('%').Append(utf8[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }

    private static readonly char[] TrimmedChars = [.. Enumerable.Range(0, 0x21).Select(i => (char)i)];
}
