using PenguinMails.Http;
using PenguinMails.Audit;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Users;

namespace PenguinMails.ApiKeys;

/// <summary>
/// A key's life: issue, rotate (the old one lives 24 hours more), revoke, edit. Used by the API, the portal and the CLI;
/// each change is saved together with its audit-log entry (who, from where), never a secret: the detail names the key by
/// its public identifier.
/// </summary>
public sealed class ApiKeyIssuer(AppDb db, ApiKeyHasher hasher, ApiKeyCache cache, TimeProvider time)
{
    public static readonly TimeSpan RotationGrace = TimeSpan.FromHours(24);

    /// <summary>How long a docs key (<see cref="CreateDocsKeyAsync"/>) works.</summary>
    public static readonly TimeSpan DocsKeyLifetime = TimeSpan.FromHours(1);

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<(ApiKey Key, string Secret)> CreateAsync(
        CreateApiKeyRequest request, ChangeActor by, CancellationToken ct)
    {
        var environment = request.Environment == "test" ? KeyEnvironment.Test : KeyEnvironment.Live;
        var expiresAt = request.ExpiresInDays is { } days ? Now.AddDays(days) : request.ExpiresAt?.UtcDateTime;
        var (key, secret) = NewKey(environment, request.Name, by.Name);
        key.Description = OptionalText.OrNull(request.Description);
        key.Permissions = request.ResolvedPermissions();
        key.AllowedIps = (request.AllowedIps ?? []).Select(IpAllowList.Normalize).Distinct().ToList();
        key.ExpiresAt = expiresAt;
        db.ApiKeys.Add(key);
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyCreated, by, key,
            $"{key.KeyId} “{key.Name}” ({Name(key.Environment)}); permissions: {string.Join(' ', key.Permissions)}; allowed_ips: {Ips(key)}"));
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    /// <summary>
    /// The docs page's "select from your keys" (DECISIONS.md "The portal"): whole keys are never stored, so trying a
    /// request gets a new <c>pm_test_</c> key — it never delivers mail — that ends after <see cref="DocsKeyLifetime"/>,
    /// marked as a docs key so it raises no expiry alert or banner. Audited like any key.
    /// </summary>
    public async Task<(ApiKey Key, string Secret)> CreateDocsKeyAsync(List<string> permissions, ChangeActor by, CancellationToken ct)
    {
        var (key, secret) = NewKey(KeyEnvironment.Test, "API Docs: Try it out", by.Name);
        key.Description = "Short-lived test key created by the API docs page to try requests.";
        key.Permissions = permissions;
        key.ExpiresAt = Now + DocsKeyLifetime;
        key.IsDocsKey = true;
        db.ApiKeys.Add(key);
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyCreated, by, key,
            $"{key.KeyId} “{key.Name}” (test, docs key, expires in 1 hour); permissions: {string.Join(' ', key.Permissions)}; allowed_ips: any"));
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    /// <summary>
    /// A new key with the same settings; the old one keeps working for exactly 24 hours, then is refused. A key that
    /// expires passes on its lifetime, not its end: the new key expires as long after now as the old one did after its
    /// creation, so rotating a key about to expire (the dashboard's expiry warning) gives it a full term again.
    /// </summary>
    public async Task<(ApiKey Key, string Secret)> RotateAsync(ApiKey old, ChangeActor by, CancellationToken ct)
    {
        var (key, secret) = NewKey(old.Environment, old.Name, by.Name, old.Id);
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
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyRotated, by, old,
            $"{old.KeyId} “{old.Name}” replaced by {key.KeyId}; the old key works until {old.ExpiresAt!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)}"));
        await db.SaveChangesAsync(ct);
        cache.Evict(old.KeyId);
        return (key, secret);
    }

    /// <summary>When the key that replaces <paramref name="old"/> now expires (null: never).</summary>
    public DateTime? NewTermOf(ApiKey old) => old.ExpiresAt is { } end ? Now + (end - old.CreatedAt) : null;

    public async Task RevokeAsync(ApiKey key, ChangeActor by, CancellationToken ct)
    {
        key.RevokedAt = Now;
        key.UpdatedAt = Now;
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyRevoked, by, key, $"{key.KeyId} “{key.Name}”"));
        await db.SaveChangesAsync(ct);
        cache.Evict(key.KeyId);
    }

    /// <summary>Applies the fields of <paramref name="request"/> that are set; the entry names which of them changed.</summary>
    public async Task UpdateAsync(ApiKey key, UpdateApiKeyRequest request, ChangeActor by, CancellationToken ct)
    {
        var before = (key.Name, key.Description, Permissions: string.Join(' ', key.Permissions), Ips: Ips(key));
        key.Name = request.Name ?? key.Name;
        key.Description = request.Description is null ? key.Description : OptionalText.OrNull(request.Description);
        if (request.Permissions is not null)
        {
            key.Permissions = Permissions.Normalize(request.Permissions);
        }

        if (request.AllowedIps is not null)
        {
            key.AllowedIps = request.AllowedIps.Select(IpAllowList.Normalize).Distinct().ToList();
        }

        key.UpdatedAt = Now;
        var changed = new (bool Differs, string Field)[]
        {
            (before.Name != key.Name, "name"),
            (before.Description != key.Description, "description"),
            (before.Permissions != string.Join(' ', key.Permissions), "permissions"),
            (before.Ips != Ips(key), "allowed_ips"),
        }.Where(c => c.Differs).Select(c => c.Field).ToList();
        // The new values, as the README promises; a description only when it changed (it may be long), cut to 200 characters.
        var described = changed.Contains("description") ? $"; description: {TextClip.To(key.Description ?? "(none)", 200)}" : "";
        db.SecurityEvents.Add(Event(SecurityEventTypes.KeyUpdated, by, key,
            $"name: {key.Name}{described}; permissions: {string.Join(' ', key.Permissions)}; allowed_ips: {Ips(key)}; "
            + $"changed: {(changed.Count == 0 ? "nothing" : string.Join(", ", changed))}"));
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

    private SecurityEvent Event(string type, ChangeActor by, ApiKey key, string detail) =>
        SecurityEvent.Of(type, by, Now, detail, key.Id);

    private static string Ips(ApiKey key) => key.AllowedIps.Count == 0 ? "any" : string.Join(' ', key.AllowedIps);

    private static string Name(KeyEnvironment environment) => environment.ToString().ToLowerInvariant();
}
