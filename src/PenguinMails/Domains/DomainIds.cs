namespace PenguinMails.Domains;

/// <summary>Domain ids as the API shows them: <c>dom_</c> and 32 hex digits, like campaign and message ids.</summary>
public static class DomainIds
{
    public const string Prefix = "dom_";

    public static string Format(Guid id) => Prefix + id.ToString("N");

    public static Guid? Parse(string? text) =>
        text is not null && text.StartsWith(Prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(text.AsSpan(Prefix.Length), "N", out var id) ? id : null;
}
