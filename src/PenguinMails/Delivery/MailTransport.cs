using MimeKit;

namespace PenguinMails.Delivery;

/// <summary>
/// Why the relay (or we, before asking it) refused one recipient: its reply's code (null when no reply was asked for,
/// e.g. an internationalized address to a relay without SMTPUTF8), the reason, and what that means for the recipient.
/// </summary>
public sealed record RecipientRefusal(int? Code, string Response, ReplyVerdict Verdict);

/// <summary>
/// The outcome of handing one message to a transport. <see cref="ReplyVerdict.Delivered"/>: taken for every recipient
/// except those in <see cref="Refused"/>. Otherwise the whole message was not taken, with that verdict for the rest.
/// <see cref="Code"/> is the relay's SMTP reply code; null when there was none (a pickup file, a broken connection).
/// </summary>
public sealed record TransportResult(ReplyVerdict Verdict, int? Code, string Response,
    IReadOnlyDictionary<string, RecipientRefusal> Refused)
{
    public bool Accepted => Verdict == ReplyVerdict.Delivered;

    /// <summary>The id an ESP gave the message (Postmark's MessageID, Mailgun's id), matched by its event webhooks; null for SMTP.</summary>
    public string? EspMessageId { get; init; }

    /// <summary>How long the service asked us to wait before trying again (HTTP Retry-After); the next attempt waits at least this.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static TransportResult Sent(int? code, string response, IReadOnlyDictionary<string, RecipientRefusal>? refused = null) =>
        new(ReplyVerdict.Delivered, code, response, refused ?? new Dictionary<string, RecipientRefusal>());

    public static TransportResult Failed(ReplyVerdict verdict, int? code, string response) =>
        new(verdict, code, response, new Dictionary<string, RecipientRefusal>());

    /// <summary>No recipient was taken: the verdict of the message is the most hopeful of theirs (retry before bounce before failure).</summary>
    public static TransportResult NoneAccepted(IReadOnlyDictionary<string, RecipientRefusal> refused)
    {
        var first = refused.Values.OrderBy(r => r.Verdict switch { ReplyVerdict.Retry => 0, ReplyVerdict.MailboxBounce => 1, _ => 2 }).First();
        return new TransportResult(first.Verdict, first.Code, first.Response, refused);
    }
}

/// <summary>
/// Where messages go: an SMTP relay, .eml files in a pickup directory when none is configured, or a tenant's ESP
/// (Esp/PostmarkTransport, Esp/MailgunTransport; Esp/TenantTransports picks per message). One instance
/// per dispatcher worker, used by one message at a time, so that it can keep its connection open. Both carry the
/// message as <see cref="WireFormat"/> prepared it, byte for byte.
/// </summary>
public interface IMailTransport : IAsyncDisposable
{
    /// <summary>Sends to <paramref name="recipients"/> only (the envelope), whatever the headers say.</summary>
    Task<TransportResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct);

    /// <summary>
    /// Whether the way out takes UTF-8 in header fields (RFC 6532), asked before signing a message that has an address
    /// whose local part is not ASCII: if not, <see cref="AddressDowngrade"/> rewrites those fields first.
    /// </summary>
    Task<bool> CarriesUtf8HeadersAsync(CancellationToken ct);

    /// <summary>Called when the worker has had nothing to send for a while: close what is open.</summary>
    Task IdleAsync(CancellationToken ct);
}
