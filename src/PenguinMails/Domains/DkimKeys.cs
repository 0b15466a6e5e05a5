using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using MimeKit.Cryptography;

namespace PenguinMails.Domains;

/// <summary>A fresh DKIM key: the selector, the public key (base64 SPKI) and the protected private key.</summary>
public sealed record NewDkimKey(string Selector, string PublicKey, string ProtectedPrivateKey);

/// <summary>
/// Per-domain DKIM keys (RFC 6376, rsa-sha256): 2048-bit RSA made here, the private half protected with Data
/// Protection before it is stored (DECISIONS.md "Secrets") and unprotected only to build a signer
/// (<see cref="Delivery.Dkim.RsaDkimSigner"/>, relaxed/relaxed), which is kept per (domain, selector) so that a key is
/// decrypted once per process, not per message.
/// </summary>
public sealed class DkimKeys(IDataProtectionProvider protection, TimeProvider time)
{
    public const int Bits = 2048;
    private readonly IDataProtector _protector = protection.CreateProtector("PenguinMails.Domains.DkimPrivateKey");
    private readonly ConcurrentDictionary<(Guid, string), DkimSigner> _signers = new();

    /// <summary>A new key whose selector is <c>pm&lt;yyyymm&gt;</c>, the next letter after <paramref name="avoid"/>'s when that is of the same month (pm202611, pm202611b, pm202611c).</summary>
    public NewDkimKey Create(string? avoid = null)
    {
        var stem = "pm" + time.GetUtcNow().ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture);
        var selector = avoid is null || !avoid.StartsWith(stem, StringComparison.Ordinal) ? stem
            : stem + (char)((avoid.Length > stem.Length ? avoid[stem.Length] : 'a') + 1);
        using var rsa = RSA.Create(Bits);
        return Protect(rsa, selector);
    }

    /// <summary>An existing RSA key, ready to store: its public half and its protected private half.</summary>
    public NewDkimKey Protect(RSA rsa, string selector) => new(selector, Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()),
        _protector.Protect(Convert.ToBase64String(rsa.ExportPkcs8PrivateKey())));

    /// <summary>The signer of <paramref name="domain"/>'s current key, d= the domain name itself.</summary>
    public DkimSigner SignerFor(SendingDomain domain) =>
        _signers.GetOrAdd((domain.Id, domain.DkimSelector), _ =>
        {
            var der = Convert.FromBase64String(_protector.Unprotect(domain.DkimPrivateKey));
            return Delivery.Dkim.RsaDkimSigner.FromPkcs8(der, domain.Name, domain.DkimSelector);
        });

    /// <summary>The TXT value to publish for a public key (RFC 6376 §3.6.1).</summary>
    public static string RecordValue(string publicKey) => $"v=DKIM1; k=rsa; p={publicKey}";
}
