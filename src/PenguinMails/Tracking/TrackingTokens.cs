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

public sealed record TrackingToken(TokenKind Kind, Guid MessageId, string? Url);

/// <summary>
/// Tokens in tracking and unsubscribe links: the message id (and for a click, the target URL) with an
/// HMAC-SHA256 under a key derived from the server secret. They cannot be guessed, enumerated or altered, so a
/// click link redirects only to the URL the message was sent with — never an open redirect.
/// </summary>
public sealed class TrackingTokens(byte[] serverSecret)
{
    private readonly byte[] _key = HMACSHA256.HashData(serverSecret, "penguinmails/tracking/v1"u8);

    public string Create(TokenKind kind, Guid messageId, string? url = null)
    {
        var payload = Encoding.UTF8.GetBytes($"{(char)('a' + (int)kind)}{messageId:N}{url}");
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
            if (payload.Length < 33 || !CryptographicOperations.FixedTimeEquals(mac, Mac(payload)))
            {
                return null;
            }

            var text = Encoding.UTF8.GetString(payload);
            var kind = (TokenKind)(text[0] - 'a');
            return Enum.IsDefined(kind) && Guid.TryParseExact(text.AsSpan(1, 32), "N", out var id)
                ? new TrackingToken(kind, id, text.Length > 33 ? text[33..] : null)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private byte[] Mac(byte[] payload) => HMACSHA256.HashData(_key, payload)[..16];
}
