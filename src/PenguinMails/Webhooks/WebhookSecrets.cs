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

    public string Unprotect(string protectedSecret) => _secrets.Unprotect(protectedSecret);

    public string? ProtectHeaders(string? json) => json is null ? null : _headers.Protect(json);

    public string? UnprotectHeaders(string? protectedJson) => protectedJson is null ? null : _headers.Unprotect(protectedJson);

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
