namespace PenguinMails.Data;

/// <summary>
/// Text cut to fit a column or a message. A .NET string is UTF-16, and an emoji or any character beyond the Basic
/// Multilingual Plane is two units (a surrogate pair): cutting between them leaves an unpaired surrogate, which is not
/// text — PostgreSQL refuses the whole write (Npgsql cannot encode it as UTF-8) and JSON shows <c>\ud83d</c>. Every cut
/// of text the server did not write itself (a relay's reply, an endpoint's answer, a request path, a bounce report)
/// goes through here: at most <c>max</c> UTF-16 units, hence at most <c>max</c> characters as PostgreSQL's
/// <c>varchar(n)</c> counts them (code points), never half a character.
/// </summary>
public static class TextClip
{
    /// <summary><paramref name="text"/> itself when it fits, else its first <paramref name="max"/> units, one fewer when the
    /// last would be the first half of a surrogate pair.</summary>
    public static string To(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var end = max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..end];
    }

    /// <summary><see cref="To(string, int)"/>, and null for null.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    public static string? OrNull(string? text, int max) => text is null ? null : To(text, max);

    /// <summary>For reading: <paramref name="text"/> cut to <paramref name="max"/> units with "…" when it was longer.</summary>
    public static string Shortened(string text, int max) => text.Length <= max ? text : To(text, max) + "…";
}
