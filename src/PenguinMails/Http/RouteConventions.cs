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

    /// <summary>A path no endpoint serves is a 404, before authentication can turn it into a 401.</summary>
    public static IApplicationBuilder UseUnknownRoutes(this IApplicationBuilder app) =>
        app.Use((context, next) => context.GetEndpoint() is null && !Portal.PortalPaths.IsPortal(context.Request.Path)
            ? ErrorWriter.WriteAsync(context, ErrorCodes.RouteNotFound)
            : next(context));
}
