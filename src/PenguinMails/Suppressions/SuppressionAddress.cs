using MimeKit;

namespace PenguinMails.Suppressions;

/// <summary>
/// Addresses as the suppression list keeps them: parsed as RFC 5322 mailboxes by MimeKit (a domain is required;
/// <c>Name &lt;a@b&gt;</c> keeps only the address) and lower-cased whole, so lookups ignore case.
/// </summary>
public static class SuppressionAddress
{
    public const int MaxLength = 320;

    private static readonly ParserOptions Strict = CreateParser();

    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxLength
            || !MailboxAddress.TryParse(Strict, input.Trim(), out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        normalized = mailbox.Address.ToLowerInvariant();
        return normalized.Length <= MaxLength;
    }

    /// <summary>The normalized form when the input parses, otherwise the trimmed input lower-cased (never suppressed).</summary>
    public static string Normalize(string input) =>
        TryNormalize(input, out var normalized) ? normalized : input.Trim().ToLowerInvariant();

    private static ParserOptions CreateParser()
    {
        var options = ParserOptions.Default.Clone();
        options.AllowAddressesWithoutDomain = false;
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        return options;
    }
}
