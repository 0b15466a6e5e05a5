using System.Net;
using System.Text.RegularExpressions;

namespace PenguinMails.Tracking;

/// <summary>
/// Rewrites the http(s) links of an HTML body to signed click-through links and adds the open pixel.
/// mailto:, anchors and other schemes are left alone, as is the unsubscribe link the server adds itself.
/// </summary>
public static partial class HtmlTracking
{
    public static string RewriteLinks(string html, Func<string, string> trackedUrl) =>
        Href().Replace(html, match =>
        {
            var url = WebUtility.HtmlDecode(match.Groups["url"].Value);
            return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? match.Groups["before"].Value + WebUtility.HtmlEncode(trackedUrl(url)) + match.Groups["quote"].Value
                : match.Value;
        });

    public static string AddOpenPixel(string html, string pixelUrl)
    {
        var pixel = $"<img src=\"{WebUtility.HtmlEncode(pixelUrl)}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none;border:0\">";
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end >= 0 ? html.Insert(end, pixel) : html + pixel;
    }

    [GeneratedRegex("""(?<before><a\b[^>]*?\bhref\s*=\s*(?<quote>["']))(?<url>https?://[^"']+)\k<quote>""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Href();
}
