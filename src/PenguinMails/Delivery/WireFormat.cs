using MimeKit;

namespace PenguinMails.Delivery;

/// <summary>
/// The one form in which a message leaves the server, whatever the transport: every part gets a
/// Content-Transfer-Encoding that keeps it 7-bit with no line over 998 octets (RFC 5322 §2.1.1, RFC 2045 §2.7;
/// MimeKit picks quoted-printable or base64 where needed), lines end in CRLF (RFC 5321 §2.3.8), and header values
/// that are not ASCII are RFC 2047 encoded (no SMTPUTF8 needed for the content), domains go as IDNA A-labels. Only a
/// local part beyond ASCII stays UTF-8 (RFC 6532), for a relay with SMTPUTF8; <see cref="AddressDowngrade"/> rewrites it
/// for one without. The pickup file holds exactly the
/// bytes a relay receives. <see cref="Prepare"/> runs before DKIM signing, so nothing re-encodes a signed body.
/// </summary>
public static class WireFormat
{
    /// <summary>RFC 5322's limit for a line, without its CRLF.</summary>
    public const int MaxLineLength = 998;

    /// <summary>How the message is written: CRLF line endings, ending in one, headers 7-bit.</summary>
    public static FormatOptions Options { get; } = Create();

    /// <summary>Fixes every part's transfer encoding; call once, after the last change to a body and before signing.</summary>
    public static void Prepare(MimeMessage message) => message.Prepare(EncodingConstraint.SevenBit, MaxLineLength);

    private static FormatOptions Create()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.EnsureNewLine = true;
        options.International = false;
        return options;
    }
}
