using PenguinMails.Auth;
using PenguinMails.Http;

namespace PenguinMails.Account;

public sealed record WhoAmI(Guid Id, string KeyId, string Name, string Environment,
    IReadOnlyCollection<string> Permissions, Guid TenantId);

/// <summary>GET /api/v1/me: which key is calling, for which tenant, with which permissions. Any valid key.</summary>
public static class MeApi
{
    public static IEndpointRouteBuilder MapMe(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me", (HttpContext http) =>
            {
                var key = http.Features.Get<CachedKey>()!;
                return ApiResults.Ok(http, new WhoAmI(key.Id, key.KeyId, key.Name,
                    key.Environment.ToString().ToLowerInvariant(), key.Permissions, key.TenantId));
            }).WithName("getMe")
            .WithTags("Account").WithSummary("The calling key, its tenant and permissions")
            .RequireApiKey();
        return app;
    }
}
