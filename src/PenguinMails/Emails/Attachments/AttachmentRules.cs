using System.Buffers.Binary;
using MimeKit;
using PenguinMails.Http;

namespace PenguinMails.Emails.Attachments;

/// <summary>
/// What an attachment may be. Refused like Gmail refuses them (support.google.com/mail/answer/6590, "File types
/// blocked in Gmail"): the extensions below, the MIME types MimeKit associates with them, and content that is a
/// Windows (PE) or ELF executable whatever its name says. A name is one file name: no path separators, control or
/// bidirectional-override characters (U+202E turns <c>invoice‮fdp.exe</c> into "invoiceexe.pdf" on screen).
/// </summary>
public static class AttachmentRules
{
    public const int MaxFilenameLength = 255;
    public const int MaxContentTypeLength = 255;
    public const int MaxContentIdLength = 250;

    /// <summary>Gmail's list of blocked extensions, as published.</summary>
    public static readonly IReadOnlySet<string> BlockedExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".ade", ".adp", ".apk", ".appx", ".appxbundle", ".bat", ".cab", ".chm", ".cmd", ".com", ".cpl", ".diagcab",
        ".diagcfg", ".diagpack", ".dll", ".dmg", ".ex", ".ex_", ".exe", ".hta", ".img", ".ins", ".iso", ".isp", ".jar",
        ".jnlp", ".js", ".jse", ".lib", ".lnk", ".mde", ".mjs", ".msc", ".msi", ".msix", ".msixbundle", ".msp", ".mst",
        ".nsh", ".pif", ".ps1", ".scr", ".sct", ".shb", ".sys", ".vb", ".vbe", ".vbs", ".vhd", ".vxd", ".wsc", ".wsf",
        ".wsh", ".xll",
    };

    /// <summary>The types of the blocked extensions (except the generic ones), plus the executables' own names.</summary>
    public static readonly IReadOnlySet<string> BlockedTypes = BlockedExtensions
        .Select(e => MimeTypes.GetMimeType("file" + e))
        .Where(t => t is not ("application/octet-stream" or "text/plain"))
        .Concat(["application/x-dosexec", "application/vnd.microsoft.portable-executable", "application/x-msdos-program",
            "application/x-msdownload", "application/x-ms-installer", "application/x-executable", "application/java-archive",
            "application/javascript", "application/x-javascript", "text/javascript", "application/ecmascript", "text/vbscript"])
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why the name is not one file name, or null.</summary>
    public static string? FilenameProblem(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || TextLengthAttribute.Count(name) > MaxFilenameLength)
        {
            return $"must have 1 to {MaxFilenameLength} characters.";
        }

        if (name.Any(c => char.IsControl(c) || IsBidiControl(c)))
        {
            return "must not contain control or bidirectional-override characters.";
        }

        return name.IndexOfAny(['/', '\\']) >= 0 || name.Trim() is "." or ".."
            ? "must be a file name without a path (no / or \\)."
            : null;
    }

    /// <summary>
    /// The blocked extension (".exe") the name ends in as the receiving system would read it, or null: invisible formatting
    /// characters dropped (<c>a.exe\u200B</c> shows as a.exe), an NTFS stream suffix cut (<c>a.exe::$DATA</c> and
    /// <c>a.exe:x</c> are written to a.exe), and Windows' own trimming done (<c>a.exe. </c> runs as a.exe).
    /// </summary>
    public static string? BlockedExtension(string name)
    {
        var visible = string.Concat(name.Where(c => char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format));
        var stream = visible.IndexOf(':', StringComparison.Ordinal);
        return new[] { visible, stream > 0 ? visible[..stream] : visible }
            .Select(n => Path.GetExtension(n.TrimEnd('.', ' '))).FirstOrDefault(BlockedExtensions.Contains);
    }

    public static bool IsBlockedType(ContentType type) => BlockedTypes.Contains(type.MimeType);

    /// <summary>A PE image ("MZ" header whose e_lfanew points at "PE\0\0") or an ELF file.</summary>
    public static bool IsExecutable(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("\u007fELF"u8))
        {
            return true;
        }

        if (content.Length < 64 || !content.StartsWith("MZ"u8))
        {
            return false;
        }

        var pe = BinaryPrimitives.ReadInt32LittleEndian(content[0x3C..]);
        return pe > 0 && pe <= content.Length - 4 && content.Slice(pe, 4).SequenceEqual("PE\0\0"u8);
    }

    /// <summary>RFC 2392 cid: the id-left/id-right characters of RFC 5322 msg-id (atext, '.', one '@'), no brackets.</summary>
    public static bool IsValidContentId(string id) =>
        id.Length is > 0 and <= MaxContentIdLength && id.Count(c => c == '@') <= 1
        && id.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.@".Contains(c));

    private static bool IsBidiControl(char c) => c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
