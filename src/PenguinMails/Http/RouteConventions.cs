namespace PenguinMails.Http;

/// <summary>How paths map to endpoints beyond the route table itself.</summary>
public static class RouteConventions
{
    /// <summary>The spec's examples call <c>/v1/...</c> on an API host; they are served as <c>/api/v1/...</c>.</summary>
    public static IApplicationBuilder UseV1PathAlias(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
            {
                context.Request.Path = "/api" + context.Request.Path;
            }

            return next(context);
        });

    /// <summary>
    /// HEAD is GET without a body (RFC 9110 §9.3.2), on every endpoint that answers GET: health checks and link
    /// checkers send it. Kestrel keeps the request's parsed method, so it still sends no body.
    /// </summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method))
            {
                context.Request.Method = HttpMethods.Get;
                context.Response.Body = Stream.Null;
            }

            return next(context);
        });

    /// <summary>
    /// A path no endpoint serves is a 404 — RESOURCE_NOT_FOUND when it only names an id that cannot be one
    /// (<see cref="MalformedIds"/>), ROUTE_NOT_FOUND otherwise — and a method the path does not take a 405 with
    /// <c>Allow</c>, all before authentication can turn them into a 401: the routes are public (the OpenAPI document
    /// lists them).
    /// </summary>
    public static IApplicationBuilder UseUnknownRoutes(this IApplicationBuilder app)
    {
        var ids = new MalformedIds(app.ApplicationServices.GetRequiredService<EndpointDataSource>());
        return app.Use((context, next) => context.GetEndpoint() switch
        {
            null when !Portal.PortalPaths.IsPortal(context.Request.Path) => ids.Names(context.Request, out var resource)
                ? ErrorWriter.WriteAsync(context, ErrorCodes.ResourceNotFound, resource is null ? null : $"{resource} not found.", null)
                : ErrorWriter.WriteAsync(context, ErrorCodes.RouteNotFound),
            { DisplayName: MethodNotAllowedEndpoint, RequestDelegate: { } answer } => MethodNotAllowedAsync(context, answer),
            _ => next(context),
        });
    }

    /// <summary>Routing's 405, whose <c>Allow</c> also names HEAD wherever it names GET: <see cref="UseHeadAsGet"/> answers it there.</summary>
    private static async Task MethodNotAllowedAsync(HttpContext context, RequestDelegate answer)
    {
        await answer(context);
        var allowed = context.Response.Headers.Allow.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (!context.Response.HasStarted && allowed.Contains(HttpMethods.Get) && !allowed.Contains(HttpMethods.Head))
        {
            context.Response.Headers.Allow = string.Join(", ", [.. allowed, HttpMethods.Head]);
        }
    }

    // The display name routing gives the endpoint it selects when a path matches but its method does not.
    private const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";
}
