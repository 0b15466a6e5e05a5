using System.Net;
using System.Text.RegularExpressions;

namespace PenguinMails.Tracking;

/// <summary>
/// Rewrites the http(s) links of an HTML body to click-through links and adds the open pixel. Links are numbered
/// by their position among the body's <c>href="http…"</c> attributes, so the stored body alone says where link
/// <c>n</c> goes: click tokens carry that number, not the URL, and stay short whatever the URL's length.
/// A link that is not a valid absolute http(s) URL (<see cref="TrackedUrl.ToAscii"/>) is left as it is, as are
/// mailto:, anchors, other schemes, and the unsubscribe link the server adds itself.
/// </summary>
public static partial class HtmlTracking
{
    /// <summary>Links past this index are left untracked: the token holds the index in two bytes.</summary>
    public const int MaxLinks = ushort.MaxValue;

    /// <param name="html">The stored HTML body.</param>
    /// <param name="trackedUrl">Link index → the click-through URL that replaces the link.</param>
    public static string RewriteLinks(string html, Func<int, string> trackedUrl)
    {
        var index = -1;
        return Href().Replace(html, match =>
        {
            index++;
            return index <= MaxLinks && Target(match) is not null
                ? match.Groups["before"].Value + WebUtility.HtmlEncode(trackedUrl(index)) + match.Groups["quote"].Value
                : match.Value;
        });
    }

    /// <summary>The ASCII form of link <paramref name="index"/> of the body, or null when there is no such tracked link.</summary>
    public static string? LinkAt(string html, int index)
    {
        var match = Href().Match(html);
        for (var i = 0; i < index && match.Success; i++)
        {
            match = match.NextMatch();
        }

        return match.Success ? Target(match) : null;
    }

    public static string AddOpenPixel(string html, string pixelUrl)
    {
        var pixel = $"<img src=\"{WebUtility.HtmlEncode(pixelUrl)}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none;border:0\">";
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return end >= 0 ? html.Insert(end, pixel) : html + pixel;
    }

    private static string? Target(Match match) => TrackedUrl.ToAscii(WebUtility.HtmlDecode(match.Groups["url"].Value));

    [GeneratedRegex("""(?<before><a\b[^>]*?\bhref\s*=\s*(?<quote>["']))(?<url>\s*https?://[^"']+)\k<quote>""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Href();
}
