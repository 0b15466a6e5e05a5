using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace PenguinMails.Secrets;

/// <summary>
/// The master key that encrypts every Data Protection key before it is stored in the database: 32 bytes (AES-256),
/// from <c>PenguinMails:DataProtection:MasterKey</c> (base64) or <c>&lt;data&gt;/secrets/data-protection.key</c>.
/// </summary>
public sealed class MasterKey(byte[] key)
{
    public const int Bytes = 32;

    internal byte[] Key { get; } = key.Length == Bytes
        ? key
        : throw new InvalidOperationException($"PenguinMails:DataProtection:MasterKey must decode to exactly {Bytes} bytes.");

    /// <summary>First 8 bytes of SHA-256 of the key, hex: names the key in each stored element without revealing it.</summary>
    internal string Id => Convert.ToHexStringLower(SHA256.HashData(Key).AsSpan(0, 8));
}

/// <summary>
/// Encrypts a key ring element with AES-256-GCM (System.Security.Cryptography; NIST SP 800-38D) under the master key:
/// a fresh random 96-bit nonce per element, a 128-bit tag, and a fixed label as associated data so the blob cannot be
/// replayed into another use of the same master key. Stored as
/// <c>&lt;encryptedKey alg="AES-256-GCM" masterKeyId="…"&gt;base64(nonce ‖ tag ‖ ciphertext)&lt;/encryptedKey&gt;</c>.
/// </summary>
public sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    internal const string Algorithm = "AES-256-GCM";
    internal static readonly byte[] Label = Encoding.UTF8.GetBytes("PenguinMails.DataProtection.KeyRing.v1");
    internal const int NonceBytes = 12;
    internal const int TagBytes = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var blob = new byte[NonceBytes + TagBytes + plaintext.Length];
        var nonce = blob.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(masterKey.Key, TagBytes))
        {
            aes.Encrypt(nonce, plaintext, blob.AsSpan(NonceBytes + TagBytes), blob.AsSpan(NonceBytes, TagBytes), Label);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("encryptedKey",
            new XAttribute("alg", Algorithm),
            new XAttribute("masterKeyId", masterKey.Id),
            new XComment(" This key is encrypted with the master key PenguinMails:DataProtection:MasterKey. "),
            Convert.ToBase64String(blob));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>
/// Decrypts what <see cref="MasterKeyXmlEncryptor"/> stored. A wrong master key (or a changed blob) fails the GCM tag
/// check and throws, naming the master key ids, rather than yielding garbage.
/// </summary>
public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var masterKey = services.GetRequiredService<MasterKey>();
        var blob = Convert.FromBase64String(encryptedElement.Value.Trim());
        var plaintext = new byte[blob.Length - MasterKeyXmlEncryptor.NonceBytes - MasterKeyXmlEncryptor.TagBytes];
        try
        {
            using var aes = new AesGcm(masterKey.Key, MasterKeyXmlEncryptor.TagBytes);
            aes.Decrypt(blob.AsSpan(0, MasterKeyXmlEncryptor.NonceBytes),
                blob.AsSpan(MasterKeyXmlEncryptor.NonceBytes + MasterKeyXmlEncryptor.TagBytes),
                blob.AsSpan(MasterKeyXmlEncryptor.NonceBytes, MasterKeyXmlEncryptor.TagBytes), plaintext, MasterKeyXmlEncryptor.Label);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException(
                $"A Data Protection key was encrypted with master key {(string?)encryptedElement.Attribute("masterKeyId")}, " +
                $"not with the configured one ({masterKey.Id}). Set PenguinMails:DataProtection:MasterKey to the key every node uses.", e);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
