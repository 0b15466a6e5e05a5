using System.Security.Cryptography;
using System.Text;
using MimeKit;
using PenguinMails.Data;

namespace PenguinMails.Bounces;

/// <summary>One per-recipient block of a DSN (RFC 3464 §2.3): the fields as the reporting MTA wrote them (types stripped from the addresses).</summary>
public sealed record DsnRecipient(string? FinalRecipient, string? OriginalRecipient, string Action, string? Status, string? DiagnosticCode, string? RemoteMta);

/// <summary>
/// A delivery status notification (RFC 3464, <c>multipart/report; report-type=delivery-status</c>) or a feedback report
/// (ARF, RFC 5965, <c>report-type=feedback-report</c>), read. <see cref="Identity"/> is the same for every copy of one
/// report: its Message-ID, else the SHA-256 of its body; <see cref="Texts"/> are the places our return path may appear
/// (the addresses it was delivered to, and the headers of the original message it quotes).
/// </summary>
public sealed record BounceReport(bool IsComplaint, string Identity, string? ReportingMta, IReadOnlyList<DsnRecipient> Recipients,
    string? FeedbackType, string? OriginalRcptTo, IReadOnlyList<string> Texts)
{
    /// <summary>The headers a final delivery adds with the envelope recipient, and To, where an MTA's bounce names the return path.</summary>
    private static readonly string[] DeliveredTo = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"];

    /// <summary>Null when <paramref name="mail"/> is not a DSN or an ARF report (a reply, an auto-responder, spam).</summary>
    public static BounceReport? Read(MimeMessage mail)
    {
        if (mail.Body is not MultipartReport report)
        {
            return null;
        }

        var texts = DeliveredTo.SelectMany(h => mail.Headers.Where(x => x.Field.Equals(h, StringComparison.OrdinalIgnoreCase)))
            .Select(h => h.Value).ToList();
        texts.AddRange(QuotedHeaders(report));
        var identity = string.IsNullOrWhiteSpace(mail.MessageId) ? "sha256:" + BodyHash(report) : "mid:" + mail.MessageId.Trim();
        if (report.OfType<MessageDeliveryStatus>().FirstOrDefault() is { } dsn && dsn.StatusGroups.Count > 0)
        {
            var perMessage = dsn.StatusGroups[0];
            var recipients = dsn.StatusGroups.Skip(1).Select(g => new DsnRecipient(Address(g["Final-Recipient"]), Address(g["Original-Recipient"]),
                (g["Action"] ?? "").Trim().ToLowerInvariant(), Clean(g["Status"]), Clean(g["Diagnostic-Code"]), Clean(g["Remote-MTA"]))).ToList();
            return recipients.Count == 0 ? null : new BounceReport(false, identity, Clean(perMessage["Reporting-MTA"]), recipients, null, null, texts);
        }

        if (report.OfType<MessageFeedbackReport>().FirstOrDefault() is { } arf && arf.Fields["Feedback-Type"] is { } type)
        {
            var mta = Clean(arf.Fields["Reporting-MTA"]) ?? Clean(arf.Fields["User-Agent"]);
            return new BounceReport(true, identity, mta, [], type.Trim().ToLowerInvariant(), Address(arf.Fields["Original-Rcpt-To"]), texts);
        }

        return null;
    }

    /// <summary>The header values of the original message the report quotes (message/rfc822 or text/rfc822-headers).</summary>
    private static IEnumerable<string> QuotedHeaders(MultipartReport report)
    {
        foreach (var part in report.Skip(1))
        {
            switch (part)
            {
                case MessagePart { Message: { } original }:
                    foreach (var header in original.Headers)
                    {
                        yield return header.Value;
                    }

                    break;
                case TextPart text when text.ContentType.IsMimeType("text", "rfc822-headers"):
                    yield return text.Text;
                    break;
                case MimePart { ContentType.MediaSubtype: "rfc822-headers" } raw when raw.Content is { } content:
                    using (var stream = new MemoryStream())
                    {
                        content.DecodeTo(stream);
                        yield return Encoding.UTF8.GetString(stream.ToArray());
                    }

                    break;
            }
        }
    }

    /// <summary><c>rfc822; bob@example.com</c> → <c>bob@example.com</c> (RFC 3464 §2.3.2 address-type).</summary>
    private static string? Address(string? field) =>
        Clean(field) is { } value ? (value.IndexOf(';') is var i and >= 0 ? value[(i + 1)..] : value).Trim().Trim('<', '>').ToLowerInvariant() : null;

    /// <summary>Unfolded, trimmed, at most 500 characters (a Diagnostic-Code can quote a whole SMTP dialogue).</summary>
    private static string? Clean(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        var text = string.Join(' ', field.Split(['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return TextClip.To(text, 500);
    }

    private static string BodyHash(MultipartReport body)
    {
        using var stream = new MemoryStream();
        body.WriteTo(stream);
        return Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()));
    }
}
