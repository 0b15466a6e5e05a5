namespace PenguinMails.Tracking;

/// <summary>A tag of an HTML text: its lowercase name, whether it ends an element, where it starts (the <c>&lt;</c>)
/// and, for <c>a</c> and <c>area</c> start tags, the raw text of their <c>href</c> value.</summary>
public sealed record HtmlTag(string Name, bool IsEnd, int Start, HtmlAttributeValue? Href);

/// <summary>An attribute value as written: <see cref="Start"/> and <see cref="Length"/> in the HTML text, without its
/// quotes; <see cref="Quote"/> is <c>"</c>, <c>'</c> or null for an unquoted value.</summary>
public sealed record HtmlAttributeValue(int Start, int Length, char? Quote);

/// <summary>
/// Finds the tags of an HTML text the way a browser's tokenizer does (WHATWG HTML §13.2.5), without building a tree
/// or touching the text: attribute names in any case, whitespace around <c>=</c>, values double-quoted,
/// single-quoted or unquoted, the first of duplicate attributes kept. Nothing inside comments, <c>&lt;!…&gt;</c> and
/// <c>&lt;?…&gt;</c>, or the raw text of <c>script</c>, <c>style</c>, <c>textarea</c>, <c>title</c>, <c>xmp</c>,
/// <c>iframe</c>, <c>noembed</c>, <c>noframes</c> and <c>plaintext</c> is a tag; a tag cut off by the end of the text
/// is none (the browser drops it).
/// </summary>
public static class HtmlTags
{
    private static readonly HashSet<string> RawText = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"];

    public static IEnumerable<HtmlTag> Read(string html)
    {
        var i = 0;
        while ((i = html.IndexOf('<', i)) >= 0 && i + 1 < html.Length)
        {
            var (start, next) = (i, html[i + 1]);
            if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
            {
                i = CommentEnd(html, i + 4);
            }
            else if (next is '!' or '?' || (next == '/' && i + 2 < html.Length && !char.IsAsciiLetter(html[i + 2])))
            {
                i = After(html, '>', i + 2);
            }
            else if (char.IsAsciiLetter(next) || (next == '/' && i + 2 < html.Length))
            {
                var isEnd = next == '/';
                var nameStart = isEnd ? i + 2 : i + 1;
                i = nameStart;
                while (i < html.Length && !IsSpace(html[i]) && html[i] is not ('/' or '>'))
                {
                    i++;
                }

                var name = html[nameStart..i].ToLowerInvariant();
                var wantsHref = !isEnd && name is "a" or "area";
                if (!ReadAttributes(html, ref i, wantsHref, out var href))
                {
                    yield break;
                }

                yield return new HtmlTag(name, isEnd, start, href);
                if (!isEnd && name == "plaintext")
                {
                    yield break;
                }

                if (!isEnd && RawText.Contains(name))
                {
                    i = RawTextEnd(html, i, name);
                }
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>Reads attributes up to the tag's <c>&gt;</c>; false when the text ends first.</summary>
    private static bool ReadAttributes(string html, ref int i, bool wantsHref, out HtmlAttributeValue? href)
    {
        href = null;
        var seenHref = false;
        while (true)
        {
            while (i < html.Length && (IsSpace(html[i]) || html[i] == '/'))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return false;
            }

            if (html[i] == '>')
            {
                i++;
                return true;
            }

            var nameStart = i++;
            while (i < html.Length && !IsSpace(html[i]) && html[i] is not ('/' or '>' or '='))
            {
                i++;
            }

            var isHref = i - nameStart == 4 && string.Compare(html, nameStart, "href", 0, 4, StringComparison.OrdinalIgnoreCase) == 0;
            var spaceEnd = SkipSpaces(html, i);
            HtmlAttributeValue value = new(i, 0, null);
            if (spaceEnd < html.Length && html[spaceEnd] == '=')
            {
                i = SkipSpaces(html, spaceEnd + 1);
                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var end = html.IndexOf(html[i], i + 1);
                    if (end < 0)
                    {
                        return false;
                    }

                    value = new HtmlAttributeValue(i + 1, end - i - 1, html[i]);
                    i = end + 1;
                }
                else
                {
                    var valueStart = i;
                    while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }

                    value = new HtmlAttributeValue(valueStart, i - valueStart, null);
                }
            }

            if (isHref && !seenHref)
            {
                (seenHref, href) = (true, wantsHref ? value : null);
            }
        }
    }

    /// <summary>After <c>--&gt;</c> (or <c>--!&gt;</c>); <c>&lt;!--&gt;</c> and <c>&lt;!---&gt;</c> are whole comments.</summary>
    private static int CommentEnd(string html, int from)
    {
        var rest = html.AsSpan(from);
        if (rest.StartsWith(">") || rest.StartsWith("->"))
        {
            return from + rest.IndexOf('>') + 1;
        }

        for (var i = from; (i = html.IndexOf("--", i, StringComparison.Ordinal)) >= 0; i++)
        {
            var tail = html.AsSpan(i + 2);
            if (tail.StartsWith(">") || tail.StartsWith("!>"))
            {
                return i + (tail[0] == '>' ? 3 : 4);
            }
        }

        return html.Length;
    }

    /// <summary>Where the raw text of <paramref name="name"/> ends: its end tag, or the end of the text.</summary>
    private static int RawTextEnd(string html, int from, string name)
    {
        for (var i = from; (i = html.IndexOf("</", i, StringComparison.Ordinal)) >= 0; i++)
        {
            var after = i + 2 + name.Length;
            if (string.Compare(html, i + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (after >= html.Length || IsSpace(html[after]) || html[after] is '/' or '>'))
            {
                return i;
            }
        }

        return html.Length;
    }

    private static int After(string html, char c, int from) => html.IndexOf(c, from) is var i and >= 0 ? i + 1 : html.Length;

    private static int SkipSpaces(string html, int i)
    {
        while (i < html.Length && IsSpace(html[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';
}
