using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
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
    /// Right after routing (called by <see cref="HttpConventions.UseHttpConventions"/>), before every refusal that follows
    /// it — an unknown route, a query string that is not text, a JSON charset other than UTF-8, a body too large — and
    /// before authentication, so that the time includes it and all of those are seen. Once the answer is known, a request
    /// whose key named a tenant is handed to <see cref="ApiRequestLog"/> (a channel write, nothing more). A request
    /// refused before authentication ran is authenticated then, only to learn whose key it carried. Its status and error
    /// code are those the client is sent, even when the exception handler or the status-code pages write them after this
    /// middleware has returned.
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
            Exception? caught = null;
            try
            {
                await next(context);
            }
            catch (Exception e)
            {
                caught = e; // the exception handler outside answers it
                throw;
            }
            finally
            {
                if (caught is null && context.Response.StatusCode >= 400 && context.Request.Headers.Authorization.Count > 0
                    && context.Features.Get<CachedKey>() is null && context.Features.Get<KeyAttempt>() is null)
                {
                    await IdentifyKeyAsync(context);
                }

                Record(log, context, at, time.GetElapsedTime(started).TotalMilliseconds, caught);
            }
        });
    }

    /// <summary>Runs the key's authentication for a request refused before it; never fails the request.</summary>
    private static async Task IdentifyKeyAsync(HttpContext context)
    {
        try
        {
            await context.AuthenticateAsync(ApiKeyPrincipal.Scheme);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILogger<ApiRequestLog>>()
                .LogWarning(e, "Could not identify the key of a refused request for the request log.");
        }
    }

    private static void Record(ApiRequestLog log, HttpContext context, DateTime at, double ms, Exception? caught)
    {
        var (key, authenticated) = context.Features.Get<CachedKey>() is { } verified ? (verified, true)
            : context.Features.Get<KeyAttempt>() is { } attempt ? (attempt.Key, attempt.Verified)
            : (null, false);
        // What the client is sent: the exception handler's classification, or the status-code pages' error for a
        // refusal with no body of its own, or the error already written.
        var (status, error) = caught is not null ? ApiExceptionHandler.Answer(caught)
            : context.Features.Get<WrittenError>() is { } written ? (context.Response.StatusCode, written)
            : context.Response.StatusCode >= 400
                ? (context.Response.StatusCode, WrittenError.For(ErrorCodes.ForStatus(context.Response.StatusCode)))
                : (context.Response.StatusCode, null);
        if (key is null)
        {
            if (status == 401 || context.Request.Headers.Authorization.Count > 0)
            {
                log.RecordUnattributed();
            }

            return;
        }

        log.Record(new CapturedRequest
        {
            TenantId = key.TenantId, ApiKeyId = key.Id, Authenticated = authenticated, Test = key.Environment == KeyEnvironment.Test,
            Endpoint = EndpointOf(context), Status = status,
            ErrorCode = error?.Code,
            ErrorMessage = Cut(error?.Message, ApiRequestConfiguration.MaxMessage),
            DurationMs = ms, OccurredAt = at, ClientIp = context.Connection.RemoteIpAddress,
            UserAgent = Cut(context.Request.Headers.UserAgent.ToString(), ApiRequestConfiguration.MaxUserAgent),
            RequestId = context.TraceIdentifier,
        });
    }

    /// <summary>The template recorded for a request that matched no route (<c>GET (unmatched)</c>), filterable as such.</summary>
    public const string Unmatched = "(unmatched)";

    /// <summary>
    /// <c>POST /api/v1/emails/send</c>, <c>GET /api/v1/contacts/{id}</c>: the method and the matched route's template
    /// without its constraints, never the raw path (which would make every id a route of its own).
    /// </summary>
    public static string EndpointOf(HttpContext context) =>
        Templates.GetOrAdd((context.GetEndpoint(), context.Request.Method), static key =>
        {
            var template = key.Endpoint is RouteEndpoint route ? route.RoutePattern.RawText ?? "" : Unmatched;
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
        string.IsNullOrEmpty(text) ? null : TextClip.To(text, max);
}
