using PenguinMails.Audit;
using PenguinMails.Auth;
using PenguinMails.Data;

namespace PenguinMails.ApiKeys;

/// <summary>A key's life: issue, rotate (the old one lives 24 hours more), revoke, edit. Used by the API and the CLI.</summary>
public sealed class ApiKeyIssuer(AppDb db, ApiKeyHasher hasher, ApiKeyCache cache, TimeProvider time)
{
    public static readonly TimeSpan RotationGrace = TimeSpan.FromHours(24);

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<(ApiKey Key, string Secret)> CreateAsync(
        CreateApiKeyRequest request, string actor, string? ip, CancellationToken ct)
    {
        var environment = request.Environment == "test" ? KeyEnvironment.Test : KeyEnvironment.Live;
        var expiresAt = request.ExpiresInDays is { } days ? Now.AddDays(days) : request.ExpiresAt?.UtcDateTime;
        var (key, secret) = NewKey(environment, request.Name, actor);
        key.Description = request.Description;
        key.Permissions = request.ResolvedPermissions();
        key.AllowedIps = (request.AllowedIps ?? []).Select(IpAllowList.Normalize).Distinct().ToList();
        key.ExpiresAt = expiresAt;
        db.ApiKeys.Add(key);
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyCreated, actor, key, ip, $"permissions: {string.Join(' ', key.Permissions)}"));
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    /// <summary>
    /// A new key with the same settings; the old one keeps working for exactly 24 hours, then is refused. A key that
    /// expires passes on its lifetime, not its end: the new key expires as long after now as the old one did after its
    /// creation, so rotating a key about to expire (the dashboard's expiry warning) gives it a full term again.
    /// </summary>
    public async Task<(ApiKey Key, string Secret)> RotateAsync(ApiKey old, string actor, string? ip, CancellationToken ct)
    {
        var (key, secret) = NewKey(old.Environment, old.Name, actor, old.Id);
        key.Description = old.Description;
        key.Permissions = [.. old.Permissions];
        key.AllowedIps = [.. old.AllowedIps];
        key.ExpiresAt = NewTermOf(old);
        var graceEnd = Now + RotationGrace;
        old.ExpiresAt = old.ExpiresAt is { } e && e < graceEnd ? e : graceEnd;
        old.RotatedAt = Now;
        old.ReplacedById = key.Id;
        old.UpdatedAt = Now;
        db.ApiKeys.Add(key);
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyRotated, actor, old, ip, $"replaced by {key.KeyId}"));
        await db.SaveChangesAsync(ct);
        cache.Evict(old.KeyId);
        return (key, secret);
    }

    /// <summary>When the key that replaces <paramref name="old"/> now expires (null: never).</summary>
    public DateTime? NewTermOf(ApiKey old) => old.ExpiresAt is { } end ? Now + (end - old.CreatedAt) : null;

    public async Task RevokeAsync(ApiKey key, string actor, string? ip, CancellationToken ct)
    {
        key.RevokedAt = Now;
        key.UpdatedAt = Now;
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyRevoked, actor, key, ip, null));
        await db.SaveChangesAsync(ct);
        cache.Evict(key.KeyId);
    }

    public async Task UpdateAsync(ApiKey key, UpdateApiKeyRequest request, string actor, string? ip, CancellationToken ct)
    {
        key.Name = request.Name ?? key.Name;
        key.Description = request.Description ?? key.Description;
        if (request.Permissions is not null)
        {
            key.Permissions = Permissions.Normalize(request.Permissions);
        }

        if (request.AllowedIps is not null)
        {
            key.AllowedIps = request.AllowedIps.Select(IpAllowList.Normalize).Distinct().ToList();
        }

        key.UpdatedAt = Now;
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyUpdated, actor, key, ip,
            $"permissions: {string.Join(' ', key.Permissions)}; allowed_ips: {string.Join(' ', key.AllowedIps)}"));
        await db.SaveChangesAsync(ct);
        cache.Evict(key.KeyId);
    }

    private (ApiKey Key, string Secret) NewKey(KeyEnvironment environment, string name, string actor, Guid? rotatedFrom = null)
    {
        var secret = ApiKeyFormat.Generate(environment);
        var key = new ApiKey
        {
            Name = name,
            Environment = environment,
            KeyId = ApiKeyFormat.KeyIdOf(secret),
            SecretHash = hasher.Hash(secret),
            LastCharacters = secret[^3..],
            CreatedBy = actor,
            CreatedAt = Now,
            UpdatedAt = Now,
            RotatedFromId = rotatedFrom,
        };
        return (key, secret);
    }

    private SecurityEvent Event(string type, string actor, ApiKey key, string? ip, string? detail) => new()
    {
        Type = type, Actor = actor, ApiKeyId = key.Id, IpAddress = ip, Detail = detail, OccurredAt = Now,
    };
}
