using System.Text.Json.Nodes;

namespace PenguinMails.Templates;

/// <summary>
/// Variable paths as the template scan reports them: segments joined by dots (<c>customer.address.city</c>), from
/// Handlebars paths written with <c>.</c> or <c>/</c> and <c>[segment literals]</c>.
/// </summary>
internal static class VariablePaths
{
    /// <summary>The dotted path of a Handlebars path; null when it has no usable first segment.</summary>
    public static string? Normalize(string path)
    {
        var segments = new List<string>();
        var at = 0;
        while (at < path.Length)
        {
            if (path[at] == '[')
            {
                var close = path.IndexOf(']', at);
                if (close < 0)
                {
                    break;
                }

                segments.Add(path[(at + 1)..close]);
                at = close + 1;
            }
            else
            {
                var end = path.IndexOfAny(['.', '/'], at);
                segments.Add(end < 0 ? path[at..] : path[at..end]);
                at = end < 0 ? path.Length : end;
            }

            at += at < path.Length && path[at] is '.' or '/' ? 1 : 0;
        }

        // A segment that itself holds a dot cannot be told apart once joined: keep the path to its first segment.
        var usable = segments.TakeWhile(s => s.Length > 0 && !s.Contains('.', StringComparison.Ordinal)).ToList();
        return usable.Count == 0 ? null : string.Join('.', usable);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="guard"/> or lies under it.</summary>
    public static bool IsWithin(string path, string guard) =>
        path == guard || path.StartsWith(guard + ".", StringComparison.Ordinal);

    /// <summary>
    /// Whether the variables give <paramref name="path"/>: its first name is present (null counts as given), and each
    /// further segment is present in the object above it. A value that is not an object (null, an array, a string)
    /// ends the check as given: what it yields is the template's business, not a missing variable.
    /// </summary>
    public static bool IsGiven(IReadOnlyDictionary<string, JsonNode?> variables, string path)
    {
        var segments = path.Split('.');
        if (!variables.TryGetValue(segments[0], out var node))
        {
            return false;
        }

        foreach (var segment in segments.Skip(1))
        {
            if (node is not JsonObject obj)
            {
                return true;
            }

            if (!obj.TryGetPropertyValue(segment, out node))
            {
                return false;
            }
        }

        return true;
    }
}
