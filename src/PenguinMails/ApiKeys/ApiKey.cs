using PenguinMails.Tenancy;

namespace PenguinMails.ApiKeys;

/// <summary>
/// An API key. The secret itself is never stored: only its HMAC-SHA256 under a server secret.
/// <see cref="KeyId"/> is the key's non-secret prefix (<c>pm_live_</c> + 14 characters), used to find it.
/// </summary>
public sealed class ApiKey : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public KeyEnvironment Environment { get; init; }
    public required string KeyId { get; init; }
    public required byte[] SecretHash { get; init; }
    public required string LastCharacters { get; init; }
    public List<string> Permissions { get; set; } = [];
    public List<string> AllowedIps { get; set; } = [];
    public DateTime? ExpiresAt { get; set; }
    public required string CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? RotatedAt { get; set; }
    public Guid? ReplacedById { get; set; }
    public Guid? RotatedFromId { get; init; }

    /// <summary>
    /// A short-lived test key the docs page's "Try it out" made (one hour, <c>pm_test_</c>): it works like any key, but
    /// its expiry is its purpose, so it raises no expiry alert or banner and the keys page lists it apart.
    /// </summary>
    public bool IsDocsKey { get; set; }

    public string MaskedKey => $"{KeyId[..(ApiKeyFormat.PrefixLength + 3)]}...{LastCharacters}";

    public KeyStatus StatusAt(DateTime now) =>
        RevokedAt is not null ? KeyStatus.Revoked
        : ExpiresAt is { } expires && expires <= now ? KeyStatus.Expired
        : KeyStatus.Active;
}

public enum KeyEnvironment
{
    Live,
    Test,
}

public enum KeyStatus
{
    Active,
    Revoked,
    Expired,
}
