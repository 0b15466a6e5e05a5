namespace PenguinMails.Emails;

/// <summary>
/// Which header fields a request's <c>headers</c> may set. Refused, by name (case-insensitive):
/// <list type="bullet">
/// <item>the fields the server writes: addresses, subject, date, ids, MIME structure, List-Unsubscribe (RFC 8058);</item>
/// <item>our own prefix <c>X-PenguinMails-</c> (message and campaign ids, the pickup envelope), so that no send poses as
/// campaign mail;</item>
/// <item>RFC 5322 §3.6.6 resent fields (the whole <c>Resent-</c> prefix) and §3.6.7 trace fields (<c>Return-Path</c>,
/// <c>Received</c>);</item>
/// <item>what receiving servers write and trust: <c>Authentication-Results</c> (RFC 8601), <c>ARC-</c> (RFC 8617),
/// <c>DKIM-Signature</c> (RFC 6376), <c>Received-SPF</c> (RFC 7208), and the envelope and filtering verdicts that
/// mail systems add on delivery: <c>Delivered-To</c>, <c>X-Original-To</c>, <c>Envelope-To</c>, <c>X-Envelope-From</c>,
/// <c>X-Envelope-To</c>, <c>Apparently-To</c>, <c>Original-Recipient</c>, <c>X-Spam-*</c>, <c>X-MS-Exchange-*</c>,
/// <c>X-Forefront-Antispam-*</c>, <c>X-Microsoft-Antispam*</c>, <c>X-Google-*</c>, <c>X-Gm-*</c>, <c>X-Virus-*</c>,
/// <c>X-Amavis-*</c>, <c>X-Rspamd-*</c>.</item>
/// </list>
/// </summary>
public static class CustomHeaders
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding", "Content-Disposition", "Content-ID", "Sender",
        "List-Unsubscribe", "List-Unsubscribe-Post",
        "Return-Path", "Received",
        "Authentication-Results", "DKIM-Signature", "DomainKey-Signature", "Received-SPF", "Delivered-To",
        "X-Original-To", "Envelope-To", "X-Envelope-From", "X-Envelope-To", "Apparently-To", "Original-Recipient",
    };

    private static readonly string[] ReservedPrefixes =
    [
        "X-PenguinMails-", "Resent-", "ARC-", "X-Spam-", "X-MS-Exchange-", "X-Forefront-Antispam-", "X-Microsoft-Antispam",
        "X-Google-", "X-Gm-", "X-Virus-", "X-Amavis-", "X-Rspamd-",
    ];

    /// <summary>Whether the server or the receiving servers own the field <paramref name="name"/>.</summary>
    public static bool IsReserved(string name) =>
        Reserved.Contains(name) || ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
