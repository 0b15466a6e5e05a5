using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace PenguinMails.Esp;

/// <summary>
/// Encrypts ESP credentials at rest with ASP.NET Core Data Protection (its key ring in the database, itself encrypted
/// by the master key kept outside it: DECISIONS.md "Secrets"). A stolen database alone reveals no credential.
/// </summary>
public sealed class EspSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("PenguinMails.Esp.Credentials.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);

    public string? UnprotectOrNull(string? stored) => stored is null ? null : Unprotect(stored);

    /// <summary>What the API and the portal show of a secret: its last four characters.</summary>
    public static string Last4(string secret) => secret.Length <= 4 ? secret : secret[^4..];

    /// <summary>A random URL-safe string of <paramref name="bytes"/> bytes of entropy (tokens, webhook passwords).</summary>
    public static string Random(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
