using System.Security.Cryptography;
using System.Text;

namespace PenguinMails.ApiKeys;

/// <summary>
/// HMAC-SHA256 of a whole key under a server secret kept outside the database (docs/decisions/0001).
/// A stolen database alone can neither recover a key nor test a guess against it.
/// </summary>
public sealed class ApiKeyHasher(byte[] secret)
{
    public byte[] Hash(string key)
    {
        Span<byte> utf8 = stackalloc byte[ApiKeyFormat.Length * 2];
        var written = Encoding.UTF8.GetBytes(key, utf8);
        return HMACSHA256.HashData(secret, utf8[..written]);
    }

    public bool Matches(string key, byte[] storedHash)
    {
        Span<byte> utf8 = stackalloc byte[ApiKeyFormat.Length * 2];
        var written = Encoding.UTF8.GetBytes(key, utf8);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(secret, utf8[..written], hash);
        return CryptographicOperations.FixedTimeEquals(hash, storedHash);
    }

    /// <summary>The configured secret, or one generated once into the data directory (mode 600).</summary>
    public static byte[] LoadSecret(PenguinMailsOptions options) =>
        Secrets.SecretFile.Load(options, options.ApiKeys.HashSecret, "PenguinMails:ApiKeys:HashSecret", "api-key-hmac.key", 64, 32);
}
