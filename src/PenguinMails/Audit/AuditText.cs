using PenguinMails.Data;

namespace PenguinMails.Audit;

/// <summary>How request texts enter an audit-log detail without carrying anything secret or unbounded.</summary>
public static class AuditText
{
    private const int MaxPath = 300;

    /// <summary>
    /// The path of a local URL or request path, without its query string or fragment (where tokens and form drafts
    /// travel), cut to 300 characters; "/" for nothing.
    /// </summary>
    public static string PathOnly(string? url)
    {
        var path = (url ?? "").Split('?', '#')[0];
        path = path.Length == 0 ? "/" : path;
        return TextClip.Shortened(path, MaxPath);
    }
}
