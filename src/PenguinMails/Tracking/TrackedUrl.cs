namespace PenguinMails.Tracking;

/// <summary>
/// The form of a link that may go into a <c>Location</c> header: what a browser sends for it. Following the WHATWG
/// URL standard's parsing, leading and trailing C0 controls and spaces are trimmed and tabs and newlines removed;
/// then the host is given in its IDNA (punycode, RFC 5891) form and path, query and fragment are percent-encoded
/// (UTF-8, RFC 3986), so the result is printable ASCII only (RFC 9110 field values).
/// </summary>
public static class TrackedUrl
{
    /// <summary>The ASCII form of an absolute http(s) URL with a host, or null when <paramref name="href"/> is not one.</summary>
    public static string? ToAscii(string href)
    {
        var text = href.Trim(TrimmedChars).Replace("\t", "", StringComparison.Ordinal)
            .Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return null;
        }

        var userInfo = uri.UserInfo.Length > 0 ? uri.GetComponents(UriComponents.UserInfo, UriFormat.UriEscaped) + "@" : "";
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port;
        var rest = uri.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        var ascii = $"{uri.Scheme}://{userInfo}{host}{port}{rest}";
        return IsHeaderSafe(ascii) ? ascii : null;
    }

    /// <summary>True when every character is visible ASCII (0x21–0x7E): safe in any header, whatever wrote it.</summary>
    public static bool IsHeaderSafe(string value) => value.Length > 0 && value.All(c => c is > ' ' and < '\u007f');

    private static readonly char[] TrimmedChars = [.. Enumerable.Range(0, 0x21).Select(i => (char)i)];
}
