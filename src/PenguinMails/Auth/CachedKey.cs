using PenguinMails.ApiKeys;

namespace PenguinMails.Auth;

/// <summary>What verifying a key needs, held in memory so that a warm check reads no database.</summary>
public sealed record CachedKey(
    Guid Id,
    Guid TenantId,
    string KeyId,
    string Name,
    byte[] SecretHash,
    KeyEnvironment Environment,
    IReadOnlyCollection<string> Permissions,
    IpAllowList AllowedIps,
    DateTime? ExpiresAt,
    DateTime? RevokedAt)
{
    public static CachedKey From(ApiKey key) => new(
        key.Id, key.TenantId, key.KeyId, key.Name, key.SecretHash, key.Environment,
        key.Permissions.ToHashSet(StringComparer.Ordinal), IpAllowList.From(key.AllowedIps), key.ExpiresAt,
        key.RevokedAt);
}

/// <summary>
/// A refused request's key, when its identifier named one: <see cref="Verified"/> when the secret matched (a revoked
/// or expired key, an address outside the allow-list), not when it did not (anyone knowing the identifier).
/// </summary>
public sealed record KeyAttempt(CachedKey Key, bool Verified);
