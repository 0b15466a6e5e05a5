using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using PenguinMails.Auth;
using PenguinMails.Http;
using PenguinMails.Tenancy;

namespace PenguinMails.RateLimiting;

/// <summary>
/// Registration, and the middleware that limits every request authenticated by an API key to its tenant's plan.
/// Endpoints open to anyone (health, OpenAPI, docs) are not limited, even when a key is sent to them.
/// </summary>
public static class TenantRateLimits
{
    public static IServiceCollection AddRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<PenguinMailsOptions>().Validate(o => Valid(o.RateLimits),
            "PenguinMails:RateLimits: every plan needs PerMinute from 1 to 60000000 (one request per microsecond) and Burst ≥ 1.");
        services.AddSingleton<InProcessRateLimitStore>();
        services.AddSingleton<FailoverRateLimitStore>();
        services.AddHostedService(sp => sp.GetRequiredService<FailoverRateLimitStore>());
        services.AddSingleton<TenantPlans>();
        services.AddHostedService(sp => sp.GetRequiredService<TenantPlans>());
        services.AddSingleton<RateLimitUsageRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<RateLimitUsageRecorder>());
        services.AddSingleton<RateLimitStatusReader>();
        return services;
    }

    /// <summary>After authentication: the tenant is known from the key, and before any handler runs.</summary>
    public static IApplicationBuilder UseTenantRateLimits(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        var options = services.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.RateLimits;
        if (!options.Enabled)
        {
            return app;
        }

        var policies = Enum.GetValues<Plan>().ToDictionary(p => p, p => RatePolicy.For(p, options));
        var plans = services.GetRequiredService<TenantPlans>();
        var store = services.GetRequiredService<FailoverRateLimitStore>();
        var usage = services.GetRequiredService<RateLimitUsageRecorder>();
        var time = services.GetRequiredService<TimeProvider>();
        return app.Use(async (context, next) =>
        {
            if (context.Features.Get<CachedKey>() is not { } key
                || context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                await next(context);
                return;
            }

            var now = time.GetUtcNow();
            var policy = policies[await plans.GetAsync(key.TenantId)];
            var decision = await store.AcquireAsync(key.TenantId, policy, GcraLimiter.ToMicros(now), context.RequestAborted);
            usage.Record(key.TenantId, decision, now);
            if (decision.Allowed)
            {
                // Set when the response starts, so that they survive an error handler clearing the response.
                context.Response.OnStarting(static state =>
                {
                    var (http, allowed) = ((HttpContext, RateLimitDecision))state;
                    RateLimitHeaders.Apply(http.Response.Headers, allowed);
                    return Task.CompletedTask;
                }, (context, decision));
                await next(context);
                return;
            }

            usage.RecordRefusal(key.TenantId, key.Id, context.Request.Method, context.Request.Path.Value ?? "/", decision, now);
            RateLimitHeaders.Apply(context.Response.Headers, decision);
            await ErrorWriter.WriteAsync(context, ErrorCodes.RateLimitExceeded, Message(decision.RetryAfterSeconds),
                [new ErrorDetail(null, Describe(policy)) { RetryAfter = decision.RetryAfterSeconds }]);
        });
    }

    private static string Message(int seconds) => string.Create(CultureInfo.InvariantCulture,
        $"Rate limit exceeded. Try again in {seconds} {(seconds == 1 ? "second" : "seconds")}. Upgrade plan for higher limits.");

    private static string Describe(RatePolicy policy) => string.Create(CultureInfo.InvariantCulture,
        $"The {policy.Name} plan allows {policy.PerMinute} requests per minute, and bursts of up to {policy.Burst}.");

    private static bool Valid(RateLimitOptions o) =>
        new[] { o.Starter, o.Professional, o.Business }.All(p => p is { PerMinute: >= 1 and <= 60_000_000, Burst: >= 1 });
}
