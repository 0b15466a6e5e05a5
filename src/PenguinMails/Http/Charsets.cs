using System.Text;

namespace PenguinMails.Http;

/// <summary>
/// The encoding a Content-Type <c>charset</c> names, read one way wherever a body is read (JSON bodies, contact
/// imports). RFC 9110 §8.3.1: the label is case-insensitive and may be quoted. Spellings of the Unicode encodings
/// without or with another separator (<c>utf8</c>, <c>UTF_8</c>, <c>utf16le</c>) name them as <c>utf-8</c> does; any
/// other label is looked up as IANA registers it, the Windows code pages (<c>windows-1252</c>) included. UTF-7 is
/// never one (the runtime refuses it, and it can hide markup).
/// </summary>
public static class Charsets
{
    private static readonly Dictionary<string, int> Unicode = new(StringComparer.OrdinalIgnoreCase)
    {
        ["utf8"] = 65001, ["utf16"] = 1200, ["utf16le"] = 1200, ["utf16be"] = 1201,
        ["utf32"] = 12000, ["utf32le"] = 12000, ["utf32be"] = 12001,
    };

    static Charsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The label without quotes and white space around it.</summary>
    public static string Label(string charset) => charset.Trim().Trim('"').Trim();

    /// <summary>
    /// True when the label names UTF-16 without a byte order (<c>utf-16</c>, <c>utf16</c>): the byte order mark
    /// decides it (RFC 2781 §4.3).
    /// </summary>
    public static bool IsUnorderedUtf16(string charset) => Squeezed(Label(charset)).Equals("utf16", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The encoding <paramref name="charset"/> names, failing on bytes that are not text in it; null when it names
    /// none this runtime reads (empty, unknown, or refused like UTF-7).
    /// </summary>
    public static Encoding? Find(string charset)
    {
        var label = Label(charset);
        if (label.Length == 0)
        {
            return null;
        }

        try
        {
            var codePage = Unicode.TryGetValue(Squeezed(label), out var known) ? known : Encoding.GetEncoding(label).CodePage;
            return codePage == 65001 ? new UTF8Encoding(false, throwOnInvalidBytes: true)
                : Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    private static string Squeezed(string label) => label.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
}
