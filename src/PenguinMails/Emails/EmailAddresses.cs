using MimeKit;
using PenguinMails.Data;

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

        if (!IsSmtpDomain(mailbox.Domain) || !MailboxAddress.TryParse(mailbox.ToString(), out _))
        {
            error = $"'{Shorten(text)}' is not an address mail can be sent to: after the @ come letters, digits and hyphens "
                + "in dot-separated labels, none starting or ending with a hyphen, or an address literal (RFC 5321 section 4.1.2).";
            return null;
        }

        if (!FitsSmtpLimits(mailbox))
        {
            error = $"'{Shorten(text)}' is longer than SMTP carries (RFC 5321 section 4.5.3.1): at most 64 octets before the @, "
                + "255 after it and 63 in each part of the domain.";
            return null;
        }

        return Canonical(mailbox);
    }

    /// <summary>
    /// One spelling per mailbox, so that every comparison (suppressions, contacts, duplicates) and every relay sees the
    /// same one: a quoted local part that can be a dot-atom is written unquoted (RFC 5322 section 3.4.1 says it SHOULD be:
    /// <c>"victim"@example.com</c> is <c>victim@example.com</c>), and an internationalized domain is written in the form
    /// UTS #46 maps it to (<see cref="Tracking.DomainToAscii"/>: lower case, NFKC), in Unicode, so that <c>a@BÜCHER.example</c>
    /// and <c>a@xn--bcher-kva.example</c> are <c>a@bücher.example</c> (sent to <c>xn--bcher-kva.example</c>), and
    /// <c>a@ＥＸＡＭＰＬＥ.com</c> is <c>a@example.com</c>.
    /// </summary>
    private static MailboxAddress Canonical(MailboxAddress mailbox)
    {
        var local = mailbox.LocalPart;
        if (local is ['"', .., '"'] && Unquoted(local[1..^1]) is { } bare && IsDotAtom(bare))
        {
            local = bare;
        }

        var domain = mailbox.Domain;
        var international = !domain.All(char.IsAscii) || domain.Contains("xn--", StringComparison.OrdinalIgnoreCase);
        if (international && Tracking.DomainToAscii.CanMapUnicode && Tracking.DomainToAscii.Convert(domain) is { } ascii)
        {
            domain = ascii.Split('.').Any(label => label.StartsWith("xn--", StringComparison.Ordinal)) ? Unicode(ascii) : ascii;
        }

        var address = Nfc.Of(local) + "@" + domain;
        return address == mailbox.Address ? mailbox : new MailboxAddress(mailbox.Name, address);
    }

    /// <summary>A quoted string's content without its quoted-pairs' backslashes; null when a backslash ends it.</summary>
    private static string? Unquoted(string quoted)
    {
        var text = new System.Text.StringBuilder(quoted.Length);
        for (var i = 0; i < quoted.Length; i++)
        {
            if (quoted[i] == '\\')
            {
                if (++i == quoted.Length)
                {
                    return null;
                }
            }

            text.Append(quoted[i]);
        }

        return text.ToString();
    }

    /// <summary>RFC 5322 section 3.2.3's dot-atom-text, with RFC 6532's UTF-8 letters: atext runs joined by single dots.</summary>
    private static bool IsDotAtom(string text) =>
        text.Length > 0 && text.Split('.').All(atom => atom.Length > 0 && atom.All(c => char.IsAsciiLetterOrDigit(c) || c > '\u007f' || AtextSymbols.Contains(c)));

    private const string AtextSymbols = "!#$%&'*+-/=?^_`{|}~";

    /// <summary>The Unicode form of an ASCII domain (punycode labels decoded); the ASCII form when it cannot be decoded.</summary>
    private static string Unicode(string ascii)
    {
        try
        {
            return new System.Globalization.IdnMapping().GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            return ascii;
        }
    }

    /// <summary>
    /// RFC 5321 section 4.5.3.1's sizes, which relays enforce: a local part of at most 64 octets (UTF-8), a domain of
    /// at most 255 octets whose labels are at most 63 (RFC 1035 section 2.3.4; an internationalized label counted in the
    /// ASCII form DNS carries, <see cref="Tracking.DomainToAscii"/>). An address literal (<c>[192.0.2.1]</c>) has no labels.
    /// </summary>
    private static bool FitsSmtpLimits(MailboxAddress mailbox)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(mailbox.LocalPart) > 64)
        {
            return false;
        }

        var domain = mailbox.Domain;
        if (domain.StartsWith('['))
        {
            return domain.Length <= 255;
        }

        // Where no ASCII form can be computed (no ICU on the host), the sizes are left to the relay.
        var ascii = domain.All(char.IsAscii) ? domain : Tracking.DomainToAscii.Convert(domain);
        return ascii is null || (ascii.Length <= 255 && ascii.Split('.').All(label => label.Length <= 63));
    }

    /// <summary>
    /// Whether <paramref name="text"/> is one bare address (no display name, comment, route or white space outside a quoted
    /// local part) that <see cref="TryParse"/> accepts: the rule for a contact's email and an account's, so that every
    /// contact a campaign reaches is an address a send would accept, and every address a send accepts bare
    /// (<c>"two words"@example.com</c>, RFC 5322 section 3.4.1's quoted-string) can be a contact.
    /// </summary>
    public static bool IsBareAddress(string text)
    {
        var outsideQuotes = text;
        if (text.StartsWith('"'))
        {
            var closing = ClosingQuote(text);
            if (closing < 0)
            {
                return false;
            }

            outsideQuotes = text[(closing + 1)..];
        }

        return !outsideQuotes.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) && outsideQuotes.IndexOfAny(['<', '>', '(', ')', ',', ';', '"']) < 0
            && TryParse(text, out _) is { Name: null or "" };
    }

    /// <summary>The index of the quote that closes the quoted string opening <paramref name="text"/>, skipping quoted-pairs
    /// (<c>\"</c>); -1 when none does.</summary>
    private static int ClosingQuote(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// RFC 5321 section 4.1.2's Domain: an address literal (<c>[192.0.2.1]</c>, <c>[IPv6:…]</c>), or dot-separated labels of
    /// letters, digits and hyphens that neither start nor end with a hyphen — an internationalized label in the ASCII
    /// form DNS carries (RFC 5890, <see cref="Tracking.DomainToAscii"/>). Underscores, other punctuation and white space
    /// are refused: no relay would take them in RCPT TO.
    /// </summary>
    private static bool IsSmtpDomain(string domain)
    {
        if (domain.StartsWith('[') && domain.EndsWith(']'))
        {
            return domain.Length > 2;
        }

        if (!domain.All(char.IsAscii) && !Tracking.DomainToAscii.CanMapUnicode)
        {
            // No ASCII form can be computed on this host (no ICU): letters of any script, digits, hyphens and dots pass,
            // and the relay has the last word, as FitsSmtpLimits leaves the sizes to it.
            return domain.Split('.').All(label => label.Length > 0 && label.All(c => char.IsLetterOrDigit(c) || c == '-'));
        }

        var ascii = domain.All(char.IsAscii) ? domain : Tracking.DomainToAscii.Convert(domain);
        return ascii is not null && ascii.Split('.').All(label => label.Length > 0 && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    /// <summary>The bare address in lower case: how suppressions and filters compare addresses.</summary>
    public static string Normalize(MailboxAddress mailbox) => mailbox.Address.ToLowerInvariant();

    private static string Shorten(string text) => TextClip.Shortened(text, 80);
}
