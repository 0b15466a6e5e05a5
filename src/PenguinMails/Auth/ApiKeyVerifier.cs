using System.Net;
using PenguinMails.ApiKeys;
using PenguinMails.Http;

namespace PenguinMails.Auth;

/// <summary>The outcome of checking a presented key: the key, or the error to answer with.</summary>
public sealed record KeyVerification(CachedKey? Key, ErrorCode? Error)
{
    public bool Succeeded => Error is null;

    /// <summary>The key a well-formed identifier names when the secret did not match: who the request claimed to be.</summary>
    public CachedKey? Claimed { get; init; }
}

/// <summary>
/// Checks a presented key: shape and checksum, then the cached record, a constant-time HMAC comparison,
/// revocation, expiry and the IP allow-list. Warm, it touches no database.
/// </summary>
public sealed class ApiKeyVerifier(ApiKeyCache cache, ApiKeyHasher hasher, TimeProvider time)
{
    public async ValueTask<KeyVerification> VerifyAsync(string presented, IPAddress? caller)
    {
        if (!ApiKeyFormat.IsWellFormed(presented))
        {
            return new(null, ErrorCodes.InvalidApiKey);
        }

        var key = await cache.GetAsync(ApiKeyFormat.KeyIdOf(presented));
        if (key is null || !hasher.Matches(presented, key.SecretHash))
        {
            return new(null, ErrorCodes.InvalidApiKey) { Claimed = key };
        }

        if (key.RevokedAt is not null)
        {
            return new(key, ErrorCodes.ApiKeyRevoked);
        }

        if (key.ExpiresAt is { } expires && expires <= time.GetUtcNow().UtcDateTime)
        {
            return new(key, ErrorCodes.ApiKeyExpired);
        }

        return key.AllowedIps.Allows(caller) ? new(key, null) : new(key, ErrorCodes.IpNotAllowed);
    }
}
