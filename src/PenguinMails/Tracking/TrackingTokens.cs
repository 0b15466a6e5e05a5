using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PenguinMails.Tracking;

public enum TokenKind
{
    Open,
    Click,
    Unsubscribe,
}

/// <summary>What a token names: a message, and for a click either the link's index in the stored body or (tokens of
/// the first format, in mail sent before it changed) the URL itself.</summary>
public sealed record TrackingToken(TokenKind Kind, Guid MessageId, int LinkIndex = 0, string? LegacyUrl = null);

/// <summary>
/// Tokens in tracking and unsubscribe links, signed with an HMAC-SHA256 (16 bytes kept) under a key derived from the
/// server secret: they cannot be guessed, enumerated or altered, so a click link redirects only to a link of the
/// message it was sent in — never an open redirect. Format 2, the one written: version byte 2, kind, the message
/// id (16 bytes) and the link index (2 bytes, big-endian), base64url, a dot, the MAC — 50 characters whatever the
/// link. Format 1 (<c>kind letter + id + URL</c> as UTF-8) is still read, so links in mail already sent keep working.
/// </summary>
public sealed class TrackingTokens(byte[] serverSecret)
{
    private const byte Version = 2;
    private const int PayloadLength = 20;
    private readonly byte[] _key = HMACSHA256.HashData(serverSecret, "penguinmails/tracking/v1"u8);

    public string Create(TokenKind kind, Guid messageId, int linkIndex = 0)
    {
        var payload = new byte[PayloadLength];
        payload[0] = Version;
        payload[1] = (byte)kind;
        messageId.TryWriteBytes(payload.AsSpan(2, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(18), checked((ushort)linkIndex));
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(Mac(payload));
    }

    public TrackingToken? Read(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || token.Length > 8192)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            var mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
            if (payload.Length == 0 || !CryptographicOperations.FixedTimeEquals(mac, Mac(payload)))
            {
                return null;
            }

            return payload[0] == Version ? ReadVersion2(payload) : ReadVersion1(payload);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static TrackingToken? ReadVersion2(byte[] payload)
    {
        var kind = (TokenKind)payload[1];
        return payload.Length == PayloadLength && Enum.IsDefined(kind)
            ? new TrackingToken(kind, new Guid(payload.AsSpan(2, 16), bigEndian: true), BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(18)))
            : null;
    }

    private static TrackingToken? ReadVersion1(byte[] payload)
    {
        if (payload.Length < 33)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(payload);
        var kind = (TokenKind)(text[0] - 'a');
        return Enum.IsDefined(kind) && Guid.TryParseExact(text.AsSpan(1, 32), "N", out var id)
            ? new TrackingToken(kind, id, 0, text.Length > 33 ? text[33..] : null)
            : null;
    }

    private byte[] Mac(byte[] payload) => HMACSHA256.HashData(_key, payload)[..16];
}
