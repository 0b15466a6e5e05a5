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
    public static byte[] LoadSecret(PenguinMailsOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ApiKeys.HashSecret))
        {
            var configured = Convert.FromBase64String(options.ApiKeys.HashSecret.Trim());
            return configured.Length >= 32
                ? configured
                : throw new InvalidOperationException("PenguinMails:ApiKeys:HashSecret must decode to at least 32 bytes.");
        }

        var path = options.DataPath("secrets", "api-key-hmac.key");
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = RandomNumberGenerator.GetBytes(64);
        var options600 = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options600.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, options600);
            writer.Write(Convert.ToBase64String(secret));
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}
