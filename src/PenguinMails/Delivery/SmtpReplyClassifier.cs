using System.Text.RegularExpressions;

namespace PenguinMails.Delivery;

/// <summary>What a relay's reply means for the recipients it concerns.</summary>
public enum ReplyVerdict
{
    /// <summary>2xx: the relay took the message.</summary>
    Delivered,

    /// <summary>4xx, or no reply at all (connection, TLS, timeout): try again later.</summary>
    Retry,

    /// <summary>A permanent fault of the recipient's mailbox: the recipient bounced and its address is suppressed.</summary>
    MailboxBounce,

    /// <summary>Permanent, but not the recipient's fault (our side, the relay, the protocol, policy): failed, not suppressed.</summary>
    Failed,
}

/// <summary>Which command a reply answers: only a reply to RCPT TO speaks about one recipient.</summary>
public enum SmtpStage
{
    Recipient,
    Transaction,
}

/// <summary>
/// Sorts SMTP replies (RFC 5321 §4.2) by their enhanced status code (RFC 3463 <c>class.subject.detail</c>, RFC 2034),
/// falling back on the basic code when the reply has none. 2xx delivered; 4xx retried. A 5xx is a mailbox bounce
/// (the address is suppressed) only when it is a fact about the recipient's mailbox and answers RCPT TO:
/// <list type="bullet">
/// <item>5.1.1 bad mailbox, 5.1.2 bad destination system, 5.1.3 bad mailbox syntax, 5.1.6 mailbox moved,
/// 5.1.10 null MX (RFC 7505), 5.2.1 mailbox disabled;</item>
/// <item>a bare 550, 551 or 553 without an enhanced code: the traditional "no such user", "user not local",
/// "mailbox name not allowed" (RFC 5321 §4.2.2).</item>
/// </list>
/// Every other 5xx fails the recipient with the reply as the reason and suppresses nothing: 5.1.0/5.1.4 (unspecified or
/// ambiguous address), 5.1.7/5.1.8 (the sender's address), 5.2.2 mailbox full (RFC 3463 calls it persistent-transient:
/// the mailbox exists and may be emptied), 5.2.3/5.2.4 (the message's size, a list's expansion), 5.3.x the receiving
/// mail system, 5.4.x network and routing (often passing), 5.5.x protocol (e.g. an internationalized address to a
/// relay without SMTPUTF8), 5.6.x content and encoding, 5.7.x security and policy (5.7.1 is mostly "relaying denied").
/// Replies to the greeting, MAIL FROM or DATA concern the whole transaction, not one address, so they never bounce.
/// </summary>
public static partial class SmtpReplyClassifier
{
    public static ReplyVerdict Classify(SmtpStage stage, int code, string? text)
    {
        if (code is >= 200 and < 300)
        {
            return ReplyVerdict.Delivered;
        }

        if (code is >= 400 and < 500)
        {
            return ReplyVerdict.Retry;
        }

        if (code is < 500 or >= 600 || stage != SmtpStage.Recipient)
        {
            return ReplyVerdict.Failed;
        }

        var enhanced = EnhancedCode().Match(text ?? "");
        if (!enhanced.Success)
        {
            return code is 550 or 551 or 553 ? ReplyVerdict.MailboxBounce : ReplyVerdict.Failed;
        }

        // RFC 3463 §2: the enhanced class must agree with the reply code; a 5xx whose enhanced code says 4 (temporary)
        // or 2 is contradictory, and a contradiction is never grounds for suppressing an address for ever.
        return (enhanced.Groups[1].Value, enhanced.Groups[2].Value, enhanced.Groups[3].Value) switch
        {
            ("5", "1", "1" or "2" or "3" or "6" or "10") or ("5", "2", "1") => ReplyVerdict.MailboxBounce,
            _ => ReplyVerdict.Failed,
        };
    }

    /// <summary>A failure with no reply: the relay was not reached, or the conversation broke. Retried; the reason names no .NET type.</summary>
    public static string Unreachable(Exception e) => e switch
    {
        MailKit.Security.AuthenticationException => "the relay refused our credentials (AUTH failed)",
        MailKit.Security.SslHandshakeException => "the TLS handshake with the relay failed",
        MailKit.ServiceNotAuthenticatedException => "the relay requires authentication and none is configured",
        TimeoutException or OperationCanceledException => "the relay did not answer in time",
        MailKit.Net.Smtp.SmtpProtocolException => "the relay broke the SMTP protocol: " + e.Message,
        _ => "the relay could not be reached: " + e.Message,
    };

    /// <summary>The enhanced status code at the start of a reply's text: its subject and detail (the class is the basic code's).</summary>
    [GeneratedRegex(@"^\s*([245])\.(\d{1,3})\.(\d{1,3})(?!\S)")]
    private static partial Regex EnhancedCode();
}
