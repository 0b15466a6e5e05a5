using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Http;

namespace PenguinMails.ApiUsage;

/// <summary>Registration of the request log, its pruning and the usage service; the middleware that records.</summary>
public static partial class RequestLogging
{
    public static IServiceCollection AddApiUsage(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<ApiRequestLog>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiRequestLog>());
        services.AddSingleton<ApiUsagePruner>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiUsagePruner>());
        services.AddScoped<ApiUsageService>();
        return services;
    }

    /// <summary>
    /// Before authentication, so that the time includes it and refusals by it are seen: once the answer is known, a
    /// request whose key named a tenant is handed to <see cref="ApiRequestLog"/> (a channel write, nothing more).
    /// </summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        if (!services.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.ApiUsage.RequestLog)
        {
            return app;
        }

        var log = services.GetRequiredService<ApiRequestLog>();
        var time = services.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            var at = time.GetUtcNow().UtcDateTime;
            var started = time.GetTimestamp();
            var threw = false;
            try
            {
                await next(context);
            }
            catch
            {
                threw = true; // the exception handler outside answers 500
                throw;
            }
            finally
            {
                Record(log, context, at, time.GetElapsedTime(started).TotalMilliseconds, threw);
            }
        });
    }

    private static void Record(ApiRequestLog log, HttpContext context, DateTime at, double ms, bool threw)
    {
        var (key, authenticated) = context.Features.Get<CachedKey>() is { } verified ? (verified, true)
            : context.Features.Get<KeyAttempt>() is { } attempt ? (attempt.Key, attempt.Verified)
            : (null, false);
        var status = threw ? 500 : context.Response.StatusCode;
        if (key is null)
        {
            if (status == 401 || context.Request.Headers.Authorization.Count > 0)
            {
                log.RecordUnattributed();
            }

            return;
        }

        var error = context.Features.Get<WrittenError>();
        log.Record(new CapturedRequest
        {
            TenantId = key.TenantId, ApiKeyId = key.Id, Authenticated = authenticated, Test = key.Environment == KeyEnvironment.Test,
            Endpoint = EndpointOf(context), Status = status,
            ErrorCode = threw ? ErrorCodes.InternalServerError.Code : error?.Code,
            ErrorMessage = Cut(threw ? ErrorCodes.InternalServerError.Message : error?.Message, ApiRequestConfiguration.MaxMessage),
            DurationMs = ms, OccurredAt = at, ClientIp = context.Connection.RemoteIpAddress,
            UserAgent = Cut(context.Request.Headers.UserAgent.ToString(), ApiRequestConfiguration.MaxUserAgent),
            RequestId = context.TraceIdentifier,
        });
    }

    /// <summary>
    /// <c>POST /api/v1/emails/send</c>, <c>GET /api/v1/contacts/{id}</c>: the method and the matched route's template
    /// without its constraints, never the raw path (which would make every id a route of its own).
    /// </summary>
    public static string EndpointOf(HttpContext context) =>
        Templates.GetOrAdd((context.GetEndpoint(), context.Request.Method), static key =>
        {
            var template = key.Endpoint is RouteEndpoint route ? route.RoutePattern.RawText ?? "" : "(unmatched)";
            template = Constraint().Replace(template, "{${name}}");
            template = template.Length > 1 ? template.TrimEnd('/') : template;
            template = template.StartsWith('/') || template.StartsWith('(') ? template : "/" + template;
            return Cut($"{key.Method} {template}", ApiRequestConfiguration.MaxEndpoint)!;
        });

    // Endpoints are few and live as long as the app; methods other than the few real ones are answered before routing.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Endpoint? Endpoint, string Method), string> Templates = new();

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\**(?<name>\w+)[^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex Constraint();

    private static string? Cut(string? text, int max) =>
        string.IsNullOrEmpty(text) ? null : text.Length > max ? text[..max] : text;
}
