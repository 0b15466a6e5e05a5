using System.Security.Cryptography;
using System.Text;

namespace PenguinMails.Bounces;

/// <summary>What a valid VERP token names: the message, and the recipient by the first 4 bytes of the SHA-256 of its address.</summary>
public sealed record VerpToken(Guid MessageId, uint RecipientHash)
{
    public bool Names(string email) => RecipientHash == VerpTokens.HashOf(email);
}

/// <summary>
/// The token of a message's per-recipient return path <c>bounces+&lt;token&gt;@&lt;bounce domain&gt;</c> (VERP). 30 bytes —
/// version 1, the message id (16), the recipient's address hash (4), an HMAC-SHA256 truncated to 9 bytes under a key
/// derived from the server's bounce secret — in lower-case base32 (RFC 4648 alphabet): 48 characters, so the local part
/// stays within RFC 5321's 64 octets and survives MTAs that fold its case. A token whose MAC does not verify names nothing.
/// </summary>
public sealed class VerpTokens(byte[] serverSecret)
{
    public const int Length = 48;
    private const byte Version = 1;
    private const int PayloadLength = 21;
    private const int MacLength = 9;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private readonly byte[] _key = HMACSHA256.HashData(serverSecret, "penguinmails/verp/v1"u8);

    public string Create(Guid messageId, string recipientEmail)
    {
        var bytes = new byte[PayloadLength + MacLength];
        bytes[0] = Version;
        messageId.TryWriteBytes(bytes.AsSpan(1, 16), bigEndian: true, out _);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(17), HashOf(recipientEmail));
        Mac(bytes.AsSpan(0, PayloadLength)).AsSpan(0, MacLength).CopyTo(bytes.AsSpan(PayloadLength));
        return Encode(bytes);
    }

    /// <summary>Null when <paramref name="token"/> is not one of ours: malformed, or signed with another key (forged, another installation).</summary>
    public VerpToken? Read(string token)
    {
        if (token.Length != Length || Decode(token.ToLowerInvariant()) is not { } bytes || bytes[0] != Version)
        {
            return null;
        }

        var mac = Mac(bytes.AsSpan(0, PayloadLength)).AsSpan(0, MacLength);
        return CryptographicOperations.FixedTimeEquals(mac, bytes.AsSpan(PayloadLength))
            ? new VerpToken(new Guid(bytes.AsSpan(1, 16), bigEndian: true), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(17)))
            : null;
    }

    public static uint HashOf(string email) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));

    private byte[] Mac(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(_key, payload);

    private static string Encode(byte[] bytes)
    {
        var text = new StringBuilder(Length);
        for (var bit = 0; bit < bytes.Length * 8; bit += 5)
        {
            var value = 0;
            for (var i = 0; i < 5; i++)
            {
                var b = bit + i;
                value = (value << 1) | ((bytes[b / 8] >> (7 - (b % 8))) & 1);
            }

            text.Append(Alphabet[value]);
        }

        return text.ToString();
    }

    private static byte[]? Decode(string text)
    {
        var bytes = new byte[text.Length * 5 / 8];
        for (var c = 0; c < text.Length; c++)
        {
            var value = Alphabet.IndexOf(text[c], StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            for (var i = 0; i < 5; i++)
            {
                if (((value >> (4 - i)) & 1) == 1)
                {
                    var b = (c * 5) + i;
                    bytes[b / 8] |= (byte)(1 << (7 - (b % 8)));
                }
            }
        }

        return bytes;
    }
}
