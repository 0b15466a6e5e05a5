using MimeKit;

namespace PenguinMails.Emails;

/// <summary>RFC 5322 mailboxes as MimeKit reads them, strictly: a domain is required, groups are not mailboxes.</summary>
public static class EmailAddresses
{
    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
    };

    /// <summary>Parses one mailbox (<c>a@example.com</c> or <c>"Ann" &lt;a@example.com&gt;</c>); null with a reason otherwise.</summary>
    public static MailboxAddress? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "must be an email address.";
            return null;
        }

        if (text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal))
        {
            error = "must not contain CR or LF.";
            return null;
        }

        if (!MailboxAddress.TryParse(Strict, text, out var mailbox) || mailbox.Route.Count > 0
            || string.IsNullOrEmpty(mailbox.Domain) || mailbox.LocalPart.Length == 0 || mailbox.Address.Length > 320)
        {
            error = $"'{Shorten(text)}' is not a valid email address (RFC 5322).";
            return null;
        }

        return mailbox;
    }

    /// <summary>The bare address in lower case: how suppressions and filters compare addresses.</summary>
    public static string Normalize(MailboxAddress mailbox) => mailbox.Address.ToLowerInvariant();

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
