using System.Security.Claims;
using PenguinMails.ApiKeys;

namespace PenguinMails.Auth;

/// <summary>The claims an authenticated key carries, and how to read them back.</summary>
public static class ApiKeyPrincipal
{
    public const string Scheme = "ApiKey";
    public const string TenantClaim = "tenant_id";
    public const string KeyClaim = "key_id";
    public const string PermissionClaim = "permission";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CachedKey, ClaimsPrincipal> Principals = new();

    /// <summary>
    /// The principal of <paramref name="key"/>, built once per cached key and shared by its requests: a change to the key
    /// (permissions, name, revocation) replaces its <see cref="CachedKey"/> and so its principal, and nothing adds claims
    /// to an API key's identity after it is built. Held only while the cached key lives.
    /// </summary>
    public static ClaimsPrincipal For(CachedKey key) => Principals.GetValue(key, Create);

    public static ClaimsPrincipal Create(CachedKey key)
    {
        var claims = new List<Claim>(key.Permissions.Count + 4)
        {
            new(ClaimTypes.NameIdentifier, key.Id.ToString()),
            new(ClaimTypes.Name, key.Name),
            new(TenantClaim, key.TenantId.ToString()),
            new(KeyClaim, key.KeyId),
        };
        claims.AddRange(key.Permissions.Select(p => new Claim(PermissionClaim, p)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static IReadOnlyCollection<string> PermissionsOf(ClaimsPrincipal user) =>
        user.FindAll(PermissionClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The environment of the acting key (by its <c>pm_test_</c> or <c>pm_live_</c> prefix); live for a caller without a key.</summary>
    public static KeyEnvironment EnvironmentOf(ClaimsPrincipal user) =>
        user.FindFirstValue(KeyClaim) is { } keyId ? ApiKeyFormat.EnvironmentOf(keyId) : KeyEnvironment.Live;

    /// <summary>How audit rows and created_by name the acting key: "api_key:pm_live_xxxxxxxxxxxxxx".</summary>
    public static string ActorOf(ClaimsPrincipal user) => $"api_key:{user.FindFirstValue(KeyClaim)}";
}
