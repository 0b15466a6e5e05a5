using System.Text;
using MimeKit;

namespace PenguinMails.Delivery;

/// <summary>
/// Makes a message's address fields 7-bit for a relay that does not announce SMTPUTF8, which must not be given UTF-8 in
/// headers (RFC 6531, RFC 6532). A domain needs nothing here: MimeKit writes its IDNA A-label (<see cref="WireFormat"/>).
/// A local part beyond ASCII has no ASCII form, so its mailbox is rewritten as RFC 6857 (Post-Delivery Message
/// Downgrading for Internationalized Email Messages) rewrites an address header field's non-ASCII address, in the form of
/// its Appendix A as verified erratum 3955 corrects it: an empty group whose display name is the mailbox's display name,
/// if any, then its address as RFC 2047 encoded-words (Q encoding; '@' and '.' escaped, as RFC 2047 §5 rule 3 requires
/// in a phrase): <c>To: =?UTF-8?Q?d=C3=B6rte=40example=2Ecom?=: ;, ok@example.com</c>. A reader shows the address;
/// nobody can send to it, and this relay could not have carried it anyway (SmtpTransport fails that recipient).
/// Applied to the address-list fields (To, Cc, Bcc, Reply-To and their Resent- forms) and to
/// Disposition-Notification-To, the one address field a request's custom headers may set (Emails/CustomHeaders).
/// Never to From or Sender: a group there (RFC 6854) leaves no domain for DMARC to align, so a sender that needs SMTPUTF8
/// fails the message instead (SmtpTransport). Run before DKIM signing, so the signature covers the fields as sent.
/// </summary>
public static class AddressDowngrade
{
    /// <summary>RFC 2047 §2: an encoded-word is at most 75 characters; "=?UTF-8?Q?" and "?=" take 12 of them.</summary>
    private const int MaxEncodedText = 75 - 12;

    private static readonly ParserOptions Strict = new() { AddressParserComplianceMode = RfcComplianceMode.Strict };

    /// <summary>A local part beyond ASCII needs SMTPUTF8; a domain does not (it has an ASCII form).</summary>
    public static bool NeedsSmtpUtf8(MailboxAddress mailbox) => mailbox.LocalPart.Any(c => c > '\x7f');

    /// <summary>Whether a field <see cref="Apply"/> rewrites holds a mailbox that needs SMTPUTF8.</summary>
    public static bool Needed(MimeMessage message) =>
        Lists(message).Any(NeedsDowngrade) || Notifications(message).Any(h => Parsed(h) is { } list && NeedsDowngrade(list));

    public static void Apply(MimeMessage message)
    {
        foreach (var list in Lists(message).Where(NeedsDowngrade))
        {
            var downgraded = list.SelectMany(Downgraded).ToList();
            list.Clear();
            list.AddRange(downgraded);
        }

        // MimeMessage keeps no list for this field, and writes it from the value a request gave: the new value is written
        // here, folded as RFC 5322 §2.2.3 allows, before every space where a line would pass 78 characters.
        foreach (var header in Notifications(message).ToList())
        {
            if (Parsed(header) is { } list && NeedsDowngrade(list))
            {
                var value = string.Join(", ", list.SelectMany(Downgraded).Select(a => Header.Unfold(a.ToString(WireFormat.Options, true))));
                header.SetRawValue(Encoding.ASCII.GetBytes(Folded(header.Field, value)));
            }
        }
    }

    private static IEnumerable<InternetAddressList> Lists(MimeMessage m) =>
        [m.To, m.Cc, m.Bcc, m.ReplyTo, m.ResentTo, m.ResentCc, m.ResentBcc, m.ResentReplyTo];

    private static IEnumerable<Header> Notifications(MimeMessage message) =>
        message.Headers.Where(h => h.Id == HeaderId.DispositionNotificationTo);

    /// <summary>
    /// The field's text as the request gave it, read strictly: once downgraded its text decodes to groups named by
    /// addresses, which strict RFC 5322 refuses (an '@' in a phrase), so a downgraded field never asks for a downgrade again.
    /// </summary>
    private static InternetAddressList? Parsed(Header header) => InternetAddressList.TryParse(Strict, header.Value, out var list) ? list : null;

    private static bool NeedsDowngrade(InternetAddressList list) => list.Mailboxes.Any(NeedsSmtpUtf8);

    /// <summary>Groups do not nest (RFC 5322 §3.4): a member that needs SMTPUTF8 leaves its group and follows it.</summary>
    private static IEnumerable<InternetAddress> Downgraded(InternetAddress address) => address switch
    {
        MailboxAddress mailbox when NeedsSmtpUtf8(mailbox) => [Group(mailbox)],
        GroupAddress group when NeedsDowngrade(group.Members) =>
        [
            new GroupAddress(group.Encoding, group.Name, group.Members.Where(m => m is not MailboxAddress mailbox || !NeedsSmtpUtf8(mailbox))),
            .. group.Members.Mailboxes.Where(NeedsSmtpUtf8).Select(Group),
        ],
        _ => [address],
    };

    /// <summary>
    /// The name is given already encoded, as atoms MimeKit writes unchanged; a display name of letters, digits and spaces
    /// stays as it is (quoting one would hide the encoded-words from decoders, RFC 2047 §5 rule 3).
    /// </summary>
    private static GroupAddress Group(MailboxAddress mailbox)
    {
        var name = mailbox.Name ?? "";
        var display = name.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ') ? name.Trim() : EncodedWords(name);
        return new GroupAddress((display.Length > 0 ? display + " " : "") + EncodedWords(mailbox.Address), []);
    }

    private static string EncodedWords(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            var encoded = Encoded(rune);
            if (current.Length + encoded.Length > MaxEncodedText)
            {
                words.Add($"=?UTF-8?Q?{current}?=");
                current.Clear();
            }

            current.Append(encoded);
        }

        if (current.Length > 0)
        {
            words.Add($"=?UTF-8?Q?{current}?=");
        }

        return string.Join(' ', words);
    }

    /// <summary>RFC 2047 §4.2 and §5 rule 3: letters, digits and <c>!*+-/</c> as they are, a space as '_', the rest =XX per octet.</summary>
    private static string Encoded(Rune rune)
    {
        if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || "!*+-/".Contains((char)rune.Value)))
        {
            return ((char)rune.Value).ToString();
        }

        if (rune.Value == ' ')
        {
            return "_";
        }

        var octets = new byte[rune.Utf8SequenceLength];
        rune.EncodeToUtf8(octets);
        return string.Concat(octets.Select(o => $"={o:X2}"));
    }

    /// <summary>Line breaks as bare LF, as MimeKit keeps them in raw values: writing in <see cref="WireFormat"/> makes each one CRLF.</summary>
    private static string Folded(string field, string value)
    {
        const char newLine = '\n';
        var folded = new StringBuilder();
        var length = field.Length + 1;
        foreach (var word in value.Split(' '))
        {
            if (length + 1 + word.Length > 78 && folded.Length > 0)
            {
                folded.Append(newLine);
                length = 0;
            }

            folded.Append(' ').Append(word);
            length += 1 + word.Length;
        }

        return folded.Append(newLine).ToString();
    }
}
