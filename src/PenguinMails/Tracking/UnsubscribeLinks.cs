using System.Net;
using System.Text.RegularExpressions;
using PenguinMails.Emails;

namespace PenguinMails.Tracking;

/// <summary>
/// <c>{{unsubscribe_url}}</c> and <c>{{{unsubscribe_url}}}</c> in bodies. The link holds the message's own one-click
/// token — the one of its <c>List-Unsubscribe</c> header — which exists only per message, at delivery. So templates
/// render the variable to <see cref="Placeholder"/> (never a missing variable), inline bodies keep what was written,
/// and <see cref="Fill"/> puts the link in when the message is composed: HTML-escaped in the HTML part (correct in
/// text and in an <c>href</c> alike; either form of the variable), as is in the text part. Filled after click
/// tracking rewrites links, so the unsubscribe link is never a tracked redirect.
/// </summary>
public static partial class UnsubscribeLinks
{
    public const string Variable = "unsubscribe_url";

    /// <summary>What a template renders the variable to: escaping leaves it as it is, and it is what Fill finds.</summary>
    public const string Placeholder = "{{{unsubscribe_url}}}";

    public static string? FillHtml(string? html, string url) => Fill(html, WebUtility.HtmlEncode(url));

    public static string? Fill(string? text, string value) =>
        text is null || !text.Contains(Variable, StringComparison.Ordinal) ? text : Pattern().Replace(text, _ => value);

    /// <summary>
    /// The <c>List-Unsubscribe</c> value (RFC 2369): the https link RFC 8058's one-click POST needs, then, when the
    /// operator configures an address, a <c>mailto:</c> (RFC 6068) whose subject carries the same token.
    /// </summary>
    public static string Header(string url, string token, string? mailto) =>
        string.IsNullOrEmpty(mailto) ? $"<{url}>" : $"<{url}>, <mailto:{mailto}?subject=unsubscribe%20{token}>";

    /// <summary>The configured address as it goes into a mailto: URI; throws with the setting's name when it is not one.</summary>
    public static string? MailtoAddress(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        var mailbox = EmailAddresses.TryParse(configured, out _);
        if (mailbox is null || mailbox.Name is { Length: > 0 } || mailbox.Address.Any(c => c > '~')
            || mailbox.Address.IndexOfAny(['%', '/', '?', '#', '&', '<', '>', ',', ' ', '"']) >= 0)
        {
            throw new InvalidOperationException(
                $"PenguinMails:Tracking:UnsubscribeMailto must be a bare ASCII address such as unsubscribe@example.com; '{configured}' is not.");
        }

        return mailbox.Address;
    }

    [GeneratedRegex(@"\{\{\{\s*unsubscribe_url\s*\}\}\}|\{\{\s*unsubscribe_url\s*\}\}")]
    private static partial Regex Pattern();
}
