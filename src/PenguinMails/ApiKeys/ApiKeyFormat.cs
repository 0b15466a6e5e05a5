using System.Security.Cryptography;
using System.Text;

namespace PenguinMails.ApiKeys;

/// <summary>
/// The shape of a key: <c>pm_live_</c> or <c>pm_test_</c>, then 64 base62 characters —
/// a 14-character public identifier, a 44-character secret (≈ 262 bits from the OS's CSPRNG) and a
/// 6-character checksum (the first 4 bytes of SHA-256 over everything before it). The checksum lets a
/// secret scanner, or this server before any lookup, tell a real key from noise without a database.
/// </summary>
public static class ApiKeyFormat
{
    public const string LivePrefix = "pm_live_";
    public const string TestPrefix = "pm_test_";
    public const int PrefixLength = 8;
    public const int IdLength = 14;
    public const int SecretLength = 44;
    public const int ChecksumLength = 6;
    public const int KeyIdLength = PrefixLength + IdLength;
    public const int Length = KeyIdLength + SecretLength + ChecksumLength;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Prefix(KeyEnvironment environment) =>
        environment == KeyEnvironment.Test ? TestPrefix : LivePrefix;

    public static string Generate(KeyEnvironment environment)
    {
        var body = Prefix(environment)
            + RandomNumberGenerator.GetString(Alphabet, IdLength)
            + RandomNumberGenerator.GetString(Alphabet, SecretLength);
        return Seal(body);
    }

    /// <summary>Appends the checksum to a key body.</summary>
    internal static string Seal(string body) => body + Checksum(body);

    /// <summary>True when <paramref name="key"/> has the key shape and a correct checksum.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != Length || !(key.StartsWith(LivePrefix) || key.StartsWith(TestPrefix)))
        {
            return false;
        }

        foreach (var c in key[PrefixLength..])
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return key[^ChecksumLength..].SequenceEqual(Checksum(key[..^ChecksumLength]));
    }

    public static string KeyIdOf(string key) => key[..KeyIdLength];

    public static KeyEnvironment EnvironmentOf(string keyId) =>
        keyId.StartsWith(TestPrefix, StringComparison.Ordinal) ? KeyEnvironment.Test : KeyEnvironment.Live;

    private static string Checksum(ReadOnlySpan<char> body)
    {
        Span<byte> utf8 = stackalloc byte[Length];
        var written = Encoding.ASCII.GetBytes(body, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..written], hash);
        var value = BitConverter.ToUInt32(hash[..4]);
        Span<char> chars = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return new string(chars);
    }
}
