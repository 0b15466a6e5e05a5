using System.Security.Claims;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.OpenApi;

namespace PenguinMails.ApiKeys;

/// <summary>
/// /api/v1/platform/api-keys: list, create, read, edit, revoke and rotate the tenant's keys.
/// admin:api_keys may grant any non-admin permission, but admin permissions (admin:full, admin:billing) only
/// when it holds them itself, and it may not edit or rotate a key holding admin permissions it lacks, so it
/// cannot mint or take over an admin:full key; revoking is always allowed.
/// </summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/v1/platform/api-keys").WithTags("API keys")
            .RequirePermission(Permissions.AdminApiKeys);
        keys.MapGet("/", List).WithName("listApiKeys").WithSummary("List API keys");
        keys.MapPost("/", Create).WithName("createApiKey").WithSummary("Create an API key (the whole key is returned only here)");
        keys.MapGet("/{id}", Get).WithName("getApiKey").WithSummary("Get an API key by id or key identifier");
        keys.MapPatch("/{id}", Update).WithName("updateApiKey").ProducesErrors(ErrorCodes.ResourceConflict).WithSummary("Edit a key's name, description, permissions or allowed IPs");
        keys.MapDelete("/{id}", Revoke).WithName("revokeApiKey").ProducesErrors(ErrorCodes.ResourceConflict).WithSummary("Revoke an API key (immediate)");
        keys.MapPost("/{id}/rotate", Rotate).WithName("rotateApiKey").ProducesErrors(ErrorCodes.ResourceConflict).WithSummary("Rotate: a new key now (with the old one's term again), the old one works 24 hours more");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<ApiKeyResponse>>>, ApiError>> List(
        [AsParameters] ApiKeyListQuery query, AppDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (query.Validate(out var cursor) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (page, hasMore) = await ApiKeyList.RunAsync(db, query, cursor, now, ct);
        var usage = await ApiKeyUsageQuery.ForAsync(db, page.Select(k => k.Id).ToList(), now, ct);
        var next = hasMore ? ApiKeyList.CursorFor(page[^1], query) : null;
        return ApiResults.Ok(http, page.Select(k => ApiKeyResponse.From(k, now, usage[k.Id])).ToList(),
            new PageInfo(query.Limit ?? Paging.DefaultLimit, hasMore, next));
    }

    private static async Task<Results<Created<SuccessEnvelope<CreatedApiKeyResponse>>, ApiError>> Create(
        CreateApiKeyRequest request, ApiKeyIssuer issuer, AppDb db, HttpContext http, CancellationToken ct)
    {
        // The same bound as expires_in_days (1 to 3650): a custom date is another way to say the same term.
        if (request.ExpiresAt is { } at && (at.UtcDateTime <= issuer.Now || at.UtcDateTime > issuer.Now.AddDays(3650)))
        {
            return ApiError.Validation("expires_at", "expires_at must be in the future and at most 3650 days ahead, as expires_in_days is.");
        }

        var permissions = request.ResolvedPermissions();
        if (Escalation(http.User, permissions, GrantRefusal) is { } denied)
        {
            return denied;
        }

        var (key, secret) = await issuer.CreateAsync(request, By(http), ct);
        var body = new CreatedApiKeyResponse(secret, await ResponseFor(db, key, issuer.Now, ct), CreatedApiKeyResponse.CopyWarning);
        return ApiResults.Created(http, $"/api/v1/platform/api-keys/{key.Id}", body);
    }

    private static async Task<Results<Ok<SuccessEnvelope<ApiKeyResponse>>, ApiError>> Get(
        string id, AppDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var key = await Find(db, id, ct);
        return key is null ? ApiError.NotFound("API key")
            : ApiResults.Ok(http, await ResponseFor(db, key, time.GetUtcNow().UtcDateTime, ct));
    }

    private static async Task<Results<Ok<SuccessEnvelope<ApiKeyResponse>>, ApiError>> Update(
        string id, UpdateApiKeyRequest request, ApiKeyIssuer issuer, AppDb db, HttpContext http, CancellationToken ct)
    {
        var key = await Find(db, id, ct);
        if (key is null)
        {
            return ApiError.NotFound("API key");
        }

        if (key.StatusAt(issuer.Now) != KeyStatus.Active)
        {
            return ApiError.Conflict($"This key is {key.StatusAt(issuer.Now).ToString().ToLowerInvariant()} and cannot be edited.");
        }

        if ((Escalation(http.User, key.Permissions, "A key that holds admin permissions can be edited only by a key that holds them too.")
            ?? Escalation(http.User, request.Permissions ?? [], GrantRefusal)) is { } denied)
        {
            return denied;
        }

        await issuer.UpdateAsync(key, request, By(http), ct);
        return ApiResults.Ok(http, await ResponseFor(db, key, issuer.Now, ct));
    }

    private static async Task<Results<Ok<SuccessEnvelope<ApiKeyResponse>>, ApiError>> Revoke(
        string id, ApiKeyIssuer issuer, AppDb db, HttpContext http, CancellationToken ct)
    {
        var key = await Find(db, id, ct);
        if (key is null)
        {
            return ApiError.NotFound("API key");
        }

        if (key.RevokedAt is not null)
        {
            return ApiError.Conflict(ErrorCodes.ApiKeyRevoked.Message);
        }

        await issuer.RevokeAsync(key, By(http), ct);
        return ApiResults.Ok(http, await ResponseFor(db, key, issuer.Now, ct));
    }

    private static async Task<Results<Created<SuccessEnvelope<CreatedApiKeyResponse>>, ApiError>> Rotate(
        string id, ApiKeyIssuer issuer, AppDb db, HttpContext http, CancellationToken ct)
    {
        var old = await Find(db, id, ct);
        if (old is null)
        {
            return ApiError.NotFound("API key");
        }

        if (old.RevokedAt is not null)
        {
            return ApiError.Conflict(ErrorCodes.ApiKeyRevoked.Message);
        }

        if (old.StatusAt(issuer.Now) == KeyStatus.Expired || old.ReplacedById is not null)
        {
            return ApiError.Conflict("This key has expired or was already rotated; rotate the key that replaced it.");
        }

        if (Escalation(http.User, old.Permissions, "A key that holds admin permissions can be rotated only by a key that holds them too.") is { } denied)
        {
            return denied;
        }

        var (key, secret) = await issuer.RotateAsync(old, By(http), ct);
        var body = new CreatedApiKeyResponse(secret, await ResponseFor(db, key, issuer.Now, ct), CreatedApiKeyResponse.CopyWarning)
        {
            PreviousKey = await ResponseFor(db, old, issuer.Now, ct),
        };
        return ApiResults.Created(http, $"/api/v1/platform/api-keys/{key.Id}", body);
    }

    /// <summary>By id, or by the key identifier (pm_live_...) people see in the dashboard. Other tenants' keys are invisible.</summary>
    private static Task<ApiKey?> Find(AppDb db, string id, CancellationToken ct) =>
        Guid.TryParse(id, out var guid)
            ? db.ApiKeys.FirstOrDefaultAsync(k => k.Id == guid, ct)
            : id.Length == ApiKeyFormat.KeyIdLength
                ? db.ApiKeys.FirstOrDefaultAsync(k => k.KeyId == id, ct)
                : Task.FromResult<ApiKey?>(null);

    private static async Task<ApiKeyResponse> ResponseFor(AppDb db, ApiKey key, DateTime now, CancellationToken ct) =>
        ApiKeyResponse.From(key, now, (await ApiKeyUsageQuery.ForAsync(db, [key.Id], now, ct))[key.Id]);

    private const string GrantRefusal = "A key can grant admin permissions only if it holds them itself.";

    /// <summary>
    /// admin:api_keys may hand out any non-admin permission; admin ones only when it holds them itself, and it may edit or
    /// rotate a key that holds admin permissions only when it holds them too. 403 INSUFFICIENT_PERMISSIONS with
    /// <paramref name="refusal"/> and one detail per admin permission the caller lacks.
    /// </summary>
    private static ApiError? Escalation(ClaimsPrincipal caller, IEnumerable<string> wanted, string refusal)
    {
        var held = ApiKeyPrincipal.PermissionsOf(caller);
        var missing = wanted.Distinct().Where(p => p.StartsWith("admin:", StringComparison.Ordinal) && !Permissions.Grants(held, p)).ToList();
        return missing.Count == 0 ? null : new ApiError(ErrorCodes.InsufficientPermissions, refusal,
            missing.Select(p => new ErrorDetail("permissions", $"The calling key does not hold '{p}'.") { Permission = p }).ToList());
    }

    private static Users.ChangeActor By(HttpContext http) => Users.ChangeActor.Of(http, ApiKeyPrincipal.ActorOf(http.User));
}
