using System.Net;
using System.Text;

namespace PenguinMails.Tracking;

/// <summary>
/// Rewrites the http(s) links of an HTML body to click-through links and adds the open pixel. A link is the
/// <c>href</c> of an <c>a</c> or <c>area</c> start tag as a browser reads it (<see cref="HtmlTags"/>: any quoting or
/// case, never inside a comment or script) whose value starts with <c>http://</c> or <c>https://</c>. Links are
/// numbered by their position among those, so the stored body alone says where link <c>n</c> goes: click tokens
/// carry that number, not the URL, and stay short whatever the URL's length. A link that is not a valid absolute
/// http(s) URL (<see cref="TrackedUrl.ToAscii"/>) keeps its number but is left as it is, as are mailto:, anchors,
/// other schemes, and the unsubscribe link the server adds itself.
/// </summary>
public static class HtmlTracking
{
    /// <summary>Links past this index are left untracked: the token holds the index in two bytes.</summary>
    public const int MaxLinks = ushort.MaxValue;

    /// <param name="html">The stored HTML body.</param>
    /// <param name="trackedUrl">Link index → the click-through URL that replaces the link.</param>
    public static string RewriteLinks(string html, Func<int, string> trackedUrl)
    {
        var result = new StringBuilder(html.Length);
        var copied = 0;
        foreach (var (index, value, _) in Links(html).TakeWhile(l => l.Index <= MaxLinks).Where(l => l.Target is not null))
        {
            var encoded = WebUtility.HtmlEncode(trackedUrl(index));
            result.Append(html, copied, value.Start - copied).Append(value.Quote is null ? $"\"{encoded}\"" : encoded);
            copied = value.Start + value.Length;
        }

        return result.Append(html, copied, html.Length - copied).ToString();
    }

    /// <summary>The ASCII form of link <paramref name="index"/> of the body, or null when there is no such tracked link.</summary>
    public static string? LinkAt(string html, int index) => Links(html).FirstOrDefault(l => l.Index == index)?.Target;

    /// <summary>Adds the pixel before the body's last <c>&lt;/body&gt;</c> tag (one in a comment or script is text), else at the end.</summary>
    public static string AddOpenPixel(string html, string pixelUrl)
    {
        var pixel = $"<img src=\"{WebUtility.HtmlEncode(pixelUrl)}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none;border:0\">";
        var end = HtmlTags.Read(html).LastOrDefault(t => t is { IsEnd: true, Name: "body" })?.Start;
        return end is { } at ? html.Insert(at, pixel) : html + pixel;
    }

    private sealed record Link(int Index, HtmlAttributeValue Value, string? Target);

    private static IEnumerable<Link> Links(string html)
    {
        var index = 0;
        foreach (var tag in HtmlTags.Read(html))
        {
            if (tag.Href is not { } value)
            {
                continue;
            }

            var href = WebUtility.HtmlDecode(html.Substring(value.Start, value.Length)).TrimStart(LeadingTrimmed);
            var scheme = href.Replace("\t", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
            if (scheme.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || scheme.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                yield return new Link(index++, value, TrackedUrl.ToAscii(href));
            }
        }
    }

    private static readonly char[] LeadingTrimmed = [.. Enumerable.Range(0, 0x21).Select(i => (char)i)];
}
