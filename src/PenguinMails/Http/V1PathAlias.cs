namespace PenguinMails.Http;

/// <summary>The spec's examples call <c>/v1/...</c> on an API host; they are served as <c>/api/v1/...</c>.</summary>
public static class V1PathAlias
{
    public static IApplicationBuilder UseV1PathAlias(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase))
            {
                context.Request.Path = "/api" + context.Request.Path;
            }

            return next(context);
        });
}
