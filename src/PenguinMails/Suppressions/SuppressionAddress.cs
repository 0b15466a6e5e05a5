namespace PenguinMails.Suppressions;

/// <summary>
/// Addresses as the suppression list keeps them: accepted by the same rule as a send's recipients
/// (<see cref="Emails.EmailAddresses.TryParse"/>; <c>Name &lt;a@b&gt;</c> keeps only the address) and lower-cased whole, so
/// lookups ignore case.
/// </summary>
public static class SuppressionAddress
{
    public const int MaxLength = 320;

    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxLength || Emails.EmailAddresses.TryParse(input.Trim(), out _) is not { } mailbox)
        {
            return false;
        }

        normalized = mailbox.Address.ToLowerInvariant();
        return normalized.Length <= MaxLength;
    }

    /// <summary>The normalized form when the input parses, otherwise the trimmed input lower-cased (never suppressed).</summary>
    public static string Normalize(string input) =>
        TryNormalize(input, out var normalized) ? normalized : input.Trim().ToLowerInvariant();
}
