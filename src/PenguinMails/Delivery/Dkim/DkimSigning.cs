using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace PenguinMails.Delivery.Dkim;

/// <summary>
/// Signs outgoing messages with DKIM (rsa-sha256, relaxed/relaxed) when PenguinMails:Dkim is configured;
/// otherwise <see cref="Sign(MimeMessage)"/> does nothing. Sign last, after every header is set and after
/// <see cref="WireFormat.Prepare"/> has fixed the transfer encodings: any later change breaks the signature.
/// </summary>
public sealed class DkimSigning
{
    /// <summary>Signed when present; From always is.</summary>
    public static readonly IReadOnlyList<HeaderId> SignedHeaders =
    [
        HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.MimeVersion,
        HeaderId.ContentType, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost, HeaderId.ReplyTo, HeaderId.Cc,
    ];

    private readonly DkimSigner? _signer;

    public DkimSigning(IOptions<PenguinMailsOptions> options)
    {
        var dkim = options.Value.Dkim;
        if (!dkim.Configured)
        {
            return;
        }

        _signer = RsaDkimSigner.FromPem(DkimKey.LoadPem(dkim), dkim.Domain.Trim(), dkim.Selector.Trim());
    }

    public bool Enabled => _signer is not null;

    /// <summary>Signs with the operator's key (installation mail), when one is configured.</summary>
    public void Sign(MimeMessage message) => Sign(message, null);

    /// <summary>
    /// Signs a tenant's message with its From domain's own key (<paramref name="domainSigner"/>, Domains/DkimKeys);
    /// without one (a domain added before keys existed, none registered) with the operator's key, when configured.
    /// </summary>
    public void Sign(MimeMessage message, DkimSigner? domainSigner)
    {
        ArgumentNullException.ThrowIfNull(message);
        if ((domainSigner ?? _signer) is not { } signer)
        {
            return;
        }

        var present = SignedHeaders.Where(h => h == HeaderId.From || message.Headers.Contains(h)).ToList();
        signer.Sign(WireFormat.Options, message, present);
    }
}
