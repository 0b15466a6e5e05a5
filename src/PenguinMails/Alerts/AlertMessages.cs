using System.Globalization;
using System.Net;
using PenguinMails.Tenancy;

namespace PenguinMails.Alerts;

/// <summary>Alert mails in one shape: the facts as short paragraphs, one link to act on, and why the reader got it.</summary>
internal static class AlertMessages
{
    public static AlertMail Compose(string subject, Tenant tenant, IReadOnlyList<string> paragraphs, string action, string link)
    {
        var footer = $"This alert is about the PenguinMails tenant “{tenant.Name}” ({tenant.Slug}). " +
            "It goes to the tenant's admins (and, for a key, to the person who created it).";
        var text = string.Join("\n\n", [.. paragraphs, $"{action}: {link}", footer]) + "\n";
        var html = string.Concat(paragraphs.Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>\n"))
            + $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">{WebUtility.HtmlEncode(action)}</a></p>\n"
            + $"<p style=\"color:#555\">{WebUtility.HtmlEncode(footer)}</p>\n";
        return new AlertMail($"[PenguinMails] {subject}", text, html);
    }

    /// <summary>"2026-11-30 14:05 UTC".</summary>
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 with its zone, URL-escaped, for the usage page's <c>from</c>/<c>to</c>.</summary>
    public static string Query(DateTime utc) => Uri.EscapeDataString(utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
