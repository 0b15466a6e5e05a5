using PenguinMails.Delivery;
using PenguinMails.Esp;

namespace PenguinMails.Bounces;

/// <summary>What a report says about one recipient, in the terms of the event path it feeds; null kind = nothing changes.</summary>
public sealed record BounceVerdict(EspEventKind? Kind, string Detail);

/// <summary>
/// Sorts a report the way synchronous replies are sorted (<see cref="SmtpReplyClassifier"/>, RFC 3463): a DSN's
/// <c>failed</c> with a 5.x.x status that is a fact about the mailbox (5.1.1, 5.1.2, 5.1.3, 5.1.6, 5.1.10, 5.2.1) is a hard
/// bounce (bounced, suppressed); any other 5.x.x fails the recipient without suppressing; <c>delayed</c> or a 4.x.x is a
/// soft bounce (a <c>deferred</c> event, nothing else); <c>delivered</c>, <c>relayed</c>, <c>expanded</c> change nothing.
/// An ARF report of Feedback-Type <c>abuse</c> is a complaint (suppressed); other feedback types change nothing. The
/// detail is the sentence people read on the message's timeline: the report's own Status, Action and Diagnostic-Code.
/// </summary>
public static class BounceClassifier
{
    public static BounceVerdict Classify(BounceReport report, DsnRecipient? block)
    {
        var from = report.ReportingMta is { } mta ? $" from {mta}" : "";
        if (report.IsComplaint)
        {
            return new BounceVerdict(report.FeedbackType == "abuse" ? EspEventKind.Complained : null,
                $"Feedback report (ARF){from}: Feedback-Type {report.FeedbackType}.");
        }

        if (block is null)
        {
            return new BounceVerdict(null, $"Delivery report{from} without a recipient block.");
        }

        var status = StatusCode(block.Status);
        var detail = $"Delivery report{from}: Action {block.Action}" + (block.Status is { } s ? $", Status {s}" : "")
            + (block.DiagnosticCode is { } d ? $", Diagnostic-Code {d}" : "") + ".";
        var kind = (block.Action, status?[0]) switch
        {
            ("failed", '5') or (not ("delivered" or "relayed" or "expanded" or "delayed"), '5') =>
                SmtpReplyClassifier.Classify(SmtpStage.Recipient, 550, status) == ReplyVerdict.MailboxBounce ? EspEventKind.HardBounce : EspEventKind.Failed,
            ("failed", null) => EspEventKind.Failed,
            ("delayed", _) or (not ("delivered" or "relayed" or "expanded"), '4') => EspEventKind.SoftBounce,
            _ => (EspEventKind?)null,
        };
        return new BounceVerdict(kind, detail);
    }

    /// <summary>The <c>class.subject.detail</c> of a Status field (<c>5.1.1 (bad mailbox)</c> → <c>5.1.1</c>); null when malformed.</summary>
    private static string? StatusCode(string? status)
    {
        var code = status?.Split(' ', 2)[0];
        var parts = code?.Split('.');
        return parts is { Length: 3 } && parts[0] is "2" or "4" or "5" && parts.Skip(1).All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit))
            ? code : null;
    }
}
