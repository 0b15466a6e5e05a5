namespace PenguinMails.Emails;

/// <summary>Message ids as the API shows them: <c>msg_</c> and 32 hex digits, as in the spec's <c>msg_abc123</c>.</summary>
public static class EmailIds
{
    public const string Prefix = "msg_";

    public static string Format(Guid id) => Prefix + id.ToString("N");

    public static Guid? Parse(string? text) =>
        text is not null && text.StartsWith(Prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(text.AsSpan(Prefix.Length), "N", out var id) ? id : null;
}
