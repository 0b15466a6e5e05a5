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
