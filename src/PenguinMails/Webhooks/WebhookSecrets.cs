using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace PenguinMails.Webhooks;

/// <summary>
/// Signing secrets and custom headers at rest, and the Standard Webhooks signature
/// (https://www.standardwebhooks.com, "Signature scheme"): <c>v1,</c> + base64 of HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the base64-decoded part of <c>whsec_...</c>.
/// Secrets are Data Protection-encrypted (the key ring shared in the database, docs/decisions/0008), never logged.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Prefix = "whsec_";
    public const int SecretBytes = 32;

    private readonly IDataProtector _secrets = provider.CreateProtector("PenguinMails.Webhooks.Secret.v1");
    private readonly IDataProtector _headers = provider.CreateProtector("PenguinMails.Webhooks.Headers.v1");

    public static string NewSecret() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    public string Protect(string secret) => _secrets.Protect(secret);

    public string Unprotect(string protectedSecret) => Cached(_secrets, protectedSecret);

    public string? ProtectHeaders(string? json) => json is null ? null : _headers.Protect(json);

    public string? UnprotectHeaders(string? protectedJson) => protectedJson is null ? null : Cached(_headers, protectedJson);

    /// <summary>
    /// Each delivery signs with its endpoint's secret: decrypting it once per ciphertext, not once per send, keeps Data
    /// Protection's key derivation off the delivery path. Keyed by purpose and ciphertext, so a rotated or edited value is a new
    /// entry; bounded (<see cref="CachedValues"/>) by starting over.
    /// </summary>
    private string Cached(IDataProtector protector, string protectedValue)
    {
        if (_plain.TryGetValue((protector, protectedValue), out var plain))
        {
            return plain;
        }

        if (_plain.Count >= CachedValues)
        {
            _plain.Clear();
        }

        return _plain[(protector, protectedValue)] = protector.Unprotect(protectedValue);
    }

    private const int CachedValues = 4096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(IDataProtector Purpose, string Value), string> _plain = new();

    /// <summary>The <c>webhook-signature</c> value: one <c>v1,...</c> per secret, space-separated.</summary>
    public static string Signature(IEnumerable<string> secrets, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return string.Join(' ', secrets.Select(s => "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(s), content))));
    }

    private static byte[] KeyOf(string secret) =>
        Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
}
