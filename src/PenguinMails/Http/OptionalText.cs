namespace PenguinMails.Http;

/// <summary>
/// Optional free text (a key's or an endpoint's description, a form's optional field): empty or only white space is no
/// text at all, answered as <c>null</c>, the same as never set. A description cleared with <c>""</c> or <c>null</c>
/// once read back as <c>""</c>, and one never set as <c>null</c>: two answers for one state.
/// </summary>
public static class OptionalText
{
    /// <summary>The text trimmed, or null when it is null, empty or white space only.</summary>
    public static string? OrNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
