using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;

namespace PenguinMails.Portal.Docs;

/// <summary>
/// The little Markdown the docs page renders — CHANGELOG.md and the OpenAPI document's descriptions: headings, bullet
/// lists (with continuation lines), paragraphs, <c>`code`</c>, <c>**bold**</c> and <c>[links](url)</c>. Everything is
/// HTML-encoded first, so no text can inject markup; links keep only http(s) and relative targets.
/// </summary>
public static partial class DocMarkdown
{
    public static IHtmlContent Render(string? markdown)
    {
        var html = new StringBuilder();
        var paragraph = new List<string>();
        var inList = false;
        void Flush()
        {
            if (paragraph.Count > 0)
            {
                html.Append(inList ? "" : "<p>").Append(Inline(string.Join(' ', paragraph))).Append(inList ? "</li>" : "</p>\n");
                paragraph.Clear();
            }
        }

        foreach (var raw in (markdown ?? "").Replace("\r", "").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("- ", StringComparison.Ordinal))
            {
                Flush();
                if (!line.StartsWith("- ", StringComparison.Ordinal) && inList)
                {
                    html.Append("</ul>\n");
                    inList = false;
                }
            }

            if (line.StartsWith('#'))
            {
                var level = Math.Min(6, line.TakeWhile(c => c == '#').Count());
                var text = line.TrimStart('#').Trim();
                html.Append($"<h{level} id=\"{Anchor(text)}\">").Append(Inline(text)).Append($"</h{level}>\n");
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                html.Append(inList ? "" : "<ul>\n").Append("<li>");
                inList = true;
                paragraph.Add(line[2..]);
            }
            else if (line.Length > 0)
            {
                paragraph.Add(line.Trim());
            }
        }

        Flush();
        html.Append(inList ? "</ul>\n" : "");
        return new HtmlString(html.ToString());
    }

    /// <summary>One line of inline Markdown as HTML (encoded first).</summary>
    public static string Inline(string text)
    {
        var parts = text.Split('`');
        var html = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            var encoded = WebUtility.HtmlEncode(parts[i]);
            html.Append(i % 2 == 1 && i < parts.Length - 1 ? $"<code>{encoded}</code>" : Emphasis(encoded));
        }

        return html.ToString();
    }

    private static string Emphasis(string encoded) =>
        Link().Replace(Bold().Replace(encoded, "<strong>$1</strong>"), m =>
            m.Groups[2].Value.StartsWith("http://", StringComparison.Ordinal) || m.Groups[2].Value.StartsWith("https://", StringComparison.Ordinal)
                || m.Groups[2].Value.StartsWith('/') || m.Groups[2].Value.StartsWith('#')
                ? $"<a href=\"{m.Groups[2].Value}\">{m.Groups[1].Value}</a>"
                : m.Groups[1].Value);

    public static string Anchor(string text) => NotWord().Replace(text.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotWord();
}
