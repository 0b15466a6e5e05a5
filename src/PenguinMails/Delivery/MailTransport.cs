using MimeKit;

namespace PenguinMails.Delivery;

/// <summary>What the relay said about one recipient it refused at RCPT TO.</summary>
public sealed record RecipientRefusal(int Code, string Response)
{
    public bool IsPermanent => Code >= 500;
}

/// <summary>
/// The outcome of handing one message to the relay. <see cref="Accepted"/>: the relay took it for every recipient
/// except those in <see cref="Refused"/>. Otherwise the whole message failed, temporarily (retry) or not (bounce).
/// </summary>
public sealed record TransportResult(bool Accepted, bool Temporary, int? Code, string Response,
    IReadOnlyDictionary<string, RecipientRefusal> Refused)
{
    public static TransportResult Sent(string response, IReadOnlyDictionary<string, RecipientRefusal>? refused = null) =>
        new(true, false, 250, response, refused ?? new Dictionary<string, RecipientRefusal>());

    public static TransportResult Failed(bool temporary, int? code, string response) =>
        new(false, temporary, code, response, new Dictionary<string, RecipientRefusal>());
}

/// <summary>
/// Where messages go: an SMTP relay, or .eml files in a pickup directory when none is configured. One instance
/// per dispatcher worker, used by one message at a time, so that it can keep its connection open.
/// </summary>
public interface IMailTransport : IAsyncDisposable
{
    /// <summary>Sends to <paramref name="recipients"/> only (the envelope), whatever the headers say.</summary>
    Task<TransportResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct);

    /// <summary>Called when the worker has had nothing to send for a while: close what is open.</summary>
    Task IdleAsync(CancellationToken ct);
}
