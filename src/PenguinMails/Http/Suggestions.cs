namespace PenguinMails.Http;

/// <summary>What a refusal of an unknown name (a body field, a query parameter) suggests instead.</summary>
public static class Suggestions
{
    /// <summary>
    /// ": did you mean {parent}{name}?" when one known name is at most two edits away (and the edits are at most a
    /// third of the name, so <c>id</c> does not suggest <c>to</c>); otherwise ". Its {kind} are: a, b, c." (or
    /// ". It takes no {kind}."), or "." when nothing is known.
    /// </summary>
    public static string Hint(string parent, string name, IReadOnlyCollection<string> known, string kind)
    {
        if (kind.Length == 0)
        {
            return ".";
        }

        var listed = known.Count == 0 ? $". It takes no {kind}." : $". Its {kind} are: {string.Join(", ", known)}.";
        return Closest(name, known) is { } closest ? $": did you mean {parent}{closest}?" : listed;
    }

    /// <summary>
    /// The one known name at most two edits from <paramref name="name"/> (compared in lower case; the edits at most a
    /// third of the name, so <c>id</c> does not suggest <c>to</c>), or null.
    /// </summary>
    public static string? Closest(string name, IReadOnlyCollection<string> known)
    {
        if (name.Length > 64 || known.Count == 0)
        {
            return null;
        }

        var typed = name.ToLowerInvariant();
        var closest = known.MinBy(k => Distance(k, typed))!;
        var edits = Distance(closest, typed);
        return edits <= 2 && edits * 3 <= name.Length ? closest : null;
    }

    /// <summary>
    /// Optimal string alignment distance: the fewest insertions, deletions, substitutions and swaps of two
    /// neighbouring characters (<c>form</c> is one edit from <c>from</c>).
    /// </summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
