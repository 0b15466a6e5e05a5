using System.Text;
using MimeKit;

namespace PenguinMails.Emails.Attachments;

/// <summary>An attachment that passed validation, decoded.</summary>
public sealed record DraftAttachment(int Index, string Filename, string ContentType, string? ContentId, byte[] Content);

/// <summary>
/// Checks a request's <c>attachments</c> before anything is stored: count and decoded total against
/// <see cref="EmailOptions.MaxAttachments"/> and <see cref="EmailOptions.MaxAttachmentBytes"/>, base64 (RFC 4648),
/// names, MIME types (RFC 2045, inferred from the name when absent), content ids unique within the message, and
/// <see cref="AttachmentRules"/>' refused types. Refused types are reported apart (through <c>blocked</c>), so that
/// a request whose only fault is one answers 422 ATTACHMENT_TYPE_NOT_ALLOWED rather than a 400.
/// </summary>
public static class AttachmentValidator
{
    public static List<DraftAttachment> Validate(List<AttachmentRequest?>? attachments, EmailOptions options,
        Action<string, string> fail, Action<string, string> blocked)
    {
        var drafts = new List<DraftAttachment>();
        if (attachments is null)
        {
            return drafts;
        }

        if (attachments.Count > options.MaxAttachments)
        {
            fail("attachments", $"may hold at most {options.MaxAttachments} files; it holds {attachments.Count}.");
            return drafts;
        }

        var contentIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        for (var i = 0; i < attachments.Count; i++)
        {
            var field = $"attachments[{i}]";
            if (attachments[i] is not { } item)
            {
                fail(field, "must be an object with filename and content.");
                continue;
            }

            var filename = CheckFilename(item.Filename, field, fail, blocked);
            var type = CheckType(item.ContentType, filename, field, fail, blocked);
            var contentId = CheckContentId(item.ContentId, contentIds, field, fail);
            var content = Decode(item.Content, field, fail);
            if (content is not null && AttachmentRules.IsExecutable(content))
            {
                blocked($"{field}.content", "is an executable program, which mail providers refuse whatever its name.");
            }

            total += content?.Length ?? 0;
            if (filename is not null && type is not null && content is not null)
            {
                drafts.Add(new DraftAttachment(i, filename, type, contentId, content));
            }
        }

        if (total > options.MaxAttachmentBytes)
        {
            fail("attachments", $"total {total} bytes once decoded; the limit is {options.MaxAttachmentBytes} bytes per message.");
        }

        return drafts;
    }

    private static string? CheckFilename(string? filename, string field, Action<string, string> fail, Action<string, string> blocked)
    {
        if (filename is null)
        {
            fail($"{field}.filename", "is required.");
            return null;
        }

        if (AttachmentRules.FilenameProblem(filename) is { } problem)
        {
            fail($"{field}.filename", problem);
            return null;
        }

        if (AttachmentRules.BlockedExtension(filename) is { } extension)
        {
            blocked($"{field}.filename", $"\"{extension}\" files are refused by mail providers (executables and scripts).");
        }

        return filename;
    }

    private static string? CheckType(string? given, string? filename, string field, Action<string, string> fail, Action<string, string> blocked)
    {
        if (given is null)
        {
            return filename is null ? null : MimeTypes.GetMimeType(filename);
        }

        if (given.Length > AttachmentRules.MaxContentTypeLength || given.Any(char.IsControl)
            || !ContentType.TryParse(given, out var type) || type.MediaType.Length == 0 || type.MediaSubtype.Length == 0)
        {
            fail($"{field}.content_type", "must be a MIME type such as application/pdf or image/png.");
            return null;
        }

        if (!Ascii.IsValid(given))
        {
            fail($"{field}.content_type", "must be written in ASCII, as a MIME type and its parameters are (RFC 2045).");
            return null;
        }

        if (type.Parameters.Contains("name") || type.Parameters.Contains("filename"))
        {
            // MimeKit writes name= from the filename: the parameter given here would be stored but never sent.
            fail($"{field}.content_type", "must not carry a name: the attachment's name is its filename.");
            return null;
        }

        if (type.IsMimeType("multipart", "*") || type.IsMimeType("message", "*"))
        {
            fail($"{field}.content_type", "cannot be multipart/* or message/*; send the file as application/octet-stream.");
            return null;
        }

        if (AttachmentRules.IsBlockedType(type))
        {
            blocked($"{field}.content_type", $"{type.MimeType} files are refused by mail providers (executables and scripts).");
        }

        return given.Trim();
    }

    private static string? CheckContentId(string? contentId, HashSet<string> seen, string field, Action<string, string> fail)
    {
        if (contentId is null)
        {
            return null;
        }

        if (!AttachmentRules.IsValidContentId(contentId))
        {
            fail($"{field}.content_id", $"must have 1 to {AttachmentRules.MaxContentIdLength} of the characters of a Content-ID (letters, digits, .-_@ …), without < >.");
            return null;
        }

        if (!seen.Add(contentId))
        {
            fail($"{field}.content_id", "is used by another attachment of this message.");
            return null;
        }

        return contentId;
    }

    private static byte[]? Decode(string? content, string field, Action<string, string> fail)
    {
        if (string.IsNullOrEmpty(content))
        {
            fail($"{field}.content", "is required: the file's bytes in base64.");
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(content);
            if (bytes.Length == 0)
            {
                fail($"{field}.content", "is empty.");
                return null;
            }

            return bytes;
        }
        catch (FormatException)
        {
            fail($"{field}.content", "is not valid base64 (RFC 4648 §4; line breaks are allowed, base64url is not).");
            return null;
        }
    }
}
