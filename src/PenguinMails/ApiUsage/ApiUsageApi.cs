using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.OpenApi;
using PenguinMails.Tenancy;

namespace PenguinMails.ApiUsage;

/// <summary>
/// /api/v1/tenant/analytics: the tenant's API usage (issue 11; DECISIONS.md "URLs"). The figures come from
/// <see cref="ApiUsageService"/>; the raw log is cursor-paged; the CSV exports honour the usage query's filters.
/// A <c>key_id</c> that names no key of this tenant (another tenant's included) answers 404 RESOURCE_NOT_FOUND.
/// </summary>
public static class ApiUsageApi
{
    public static IEndpointRouteBuilder MapApiUsage(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tenant/analytics").WithTags("Usage analytics");
        group.MapGet("/api-usage", UsageAsync).WithName("getApiUsage").RequirePermission(Permissions.AnalyticsRead)
            .ProducesErrors(ErrorCodes.ResourceNotFound)
            .WithSummary("API usage over a range: totals, success rate, latency percentiles, rate-limit use, series, endpoints, errors, keys (cached one minute)");
        group.MapGet("/api-requests", RequestsAsync).WithName("listApiRequests").RequirePermission(Permissions.AnalyticsRead)
            .ProducesErrors(ErrorCodes.ResourceNotFound)
            .WithSummary("The raw request log, newest first, filterable and cursor-paged");
        group.MapGet("/api-usage/errors/export", ExportErrorsAsync).WithName("exportApiUsageErrors").RequirePermission(Permissions.AnalyticsExport)
            .ProducesErrors(ErrorCodes.ResourceNotFound).Produces(200, contentType: "text/csv")
            .WithSummary("The error log of a usage query as CSV (same range and filters)");
        group.MapGet("/api-usage/series/export", ExportSeriesAsync).WithName("exportApiUsageSeries").RequirePermission(Permissions.AnalyticsExport)
            .ProducesErrors(ErrorCodes.ResourceNotFound).Produces(200, contentType: "text/csv")
            .WithSummary("The request-volume series of a usage query as CSV (same range and filters)");
        return app;
    }

    private static async Task<Results<Ok<UsageEnvelope>, ApiError>> UsageAsync(
        [AsParameters] UsageQuery query, AppDb db, ApiUsageService usage, ApiRequestLog log, TenantContext tenant,
        TimeProvider time, Microsoft.Extensions.Options.IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (query.Validate(now, options.Value.ApiUsage.RollupRetentionDays, out var window, out var filter) is { } invalid)
        {
            return invalid;
        }

        if (await ResolveKeyAsync(db, query.KeyId, filter, ct) is not { } resolved)
        {
            return ApiError.NotFound("API key");
        }

        var (view, computedAt, cached) = await usage.GetAsync(query.CacheKey(tenant.TenantId!.Value), window, resolved, ct);
        return TypedResults.Ok(new UsageEnvelope(view,
            new UsageMeta(http.TraceIdentifier, computedAt, cached, (int)ApiUsageService.CacheFor.TotalSeconds, log.Dropped)));
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<ApiRequestView>>>, ApiError>> RequestsAsync(
        [AsParameters] RequestLogQuery query, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (query.Validate(out var filter, out var from, out var to, out var cursor) is { } invalid)
        {
            return invalid;
        }

        if (await ResolveKeyAsync(db, query.KeyId, filter, ct) is not { } resolved)
        {
            return ApiError.NotFound("API key");
        }

        var limit = query.Limit ?? Paging.DefaultLimit;
        var page = await RequestLogQuery.After(RequestLogQuery.Filtered(db, resolved, from, to), cursor).Take(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        page = hasMore ? page[..limit] : page;
        var ids = page.Select(r => r.ApiKeyId).Distinct().ToList();
        var keys = await db.ApiKeys.AsNoTracking().Where(k => ids.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.KeyId, ct);
        return ApiResults.Ok(http, page.Select(r => new ApiRequestView(r.Id, r.OccurredAt, keys.GetValueOrDefault(r.ApiKeyId) ?? "",
                r.Environment, r.Authenticated, r.Endpoint, r.Status, r.ErrorCode, r.ErrorMessage, Math.Round(r.DurationMs, 3), r.ClientIp,
                r.UserAgent, r.RequestId)).ToList(),
            new PageInfo(limit, hasMore, hasMore ? RequestLogQuery.CursorFor(page[^1]) : null));
    }

    private static Task<IResult> ExportErrorsAsync([AsParameters] UsageQuery query, AppDb db, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct) =>
        ExportAsync(query, db, time, options, http, "api-errors.csv",
            (window, filter) => UsageCsv.WriteErrorsAsync(http, db, window, filter, ct), ct);

    private static Task<IResult> ExportSeriesAsync([AsParameters] UsageQuery query, AppDb db, ApiUsageService usage, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct) =>
        ExportAsync(query, db, time, options, http, "api-usage-series.csv",
            async (window, filter) => await UsageCsv.WriteSeriesAsync(http, await usage.SeriesAsync(window, filter, ct), ct), ct);

    private static async Task<IResult> ExportAsync(UsageQuery query, AppDb db, TimeProvider time,
        Microsoft.Extensions.Options.IOptions<PenguinMailsOptions> options, HttpContext http, string fileName,
        Func<UsageWindow, UsageFilter, Task> write, CancellationToken ct)
    {
        if (query.Validate(time.GetUtcNow().UtcDateTime, options.Value.ApiUsage.RollupRetentionDays, out var window, out var filter) is { } invalid)
        {
            return invalid;
        }

        if (await ResolveKeyAsync(db, query.KeyId, filter, ct) is not { } resolved)
        {
            return ApiError.NotFound("API key");
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await write(window, resolved);
        return TypedResults.Empty;
    }

    /// <summary>The filter with the key's row id; null when <paramref name="keyId"/> names no key of this tenant.</summary>
    private static async Task<UsageFilter?> ResolveKeyAsync(AppDb db, string? keyId, UsageFilter filter, CancellationToken ct)
    {
        if (keyId is null)
        {
            return filter;
        }

        var id = Guid.TryParse(keyId, out var guid)
            ? await db.ApiKeys.Where(k => k.Id == guid).Select(k => (Guid?)k.Id).FirstOrDefaultAsync(ct)
            : keyId.Length == ApiKeyFormat.KeyIdLength
                ? await db.ApiKeys.Where(k => k.KeyId == keyId).Select(k => (Guid?)k.Id).FirstOrDefaultAsync(ct)
                : null;
        return id is null ? null : filter with { KeyRowId = id };
    }
}
