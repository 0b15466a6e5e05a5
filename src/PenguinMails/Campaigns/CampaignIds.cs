namespace PenguinMails.Campaigns;

/// <summary>Campaign ids as the API shows them: <c>cmp_</c> and 32 hex digits, like message ids.</summary>
public static class CampaignIds
{
    public const string Prefix = "cmp_";

    public static string Format(Guid id) => Prefix + id.ToString("N");

    public static Guid? Parse(string? text) =>
        text is not null && text.StartsWith(Prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(text.AsSpan(Prefix.Length), "N", out var id) ? id : null;
}
