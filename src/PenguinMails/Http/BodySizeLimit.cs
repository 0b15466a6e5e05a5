using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace PenguinMails.Http;

/// <summary>
/// Refuses a declared body larger than the endpoint's limit (PenguinMails:Http:MaxRequestBodyBytes unless the
/// endpoint declares its own) before reading it; a chunked body is cut by the server at the same limit.
/// </summary>
public static class BodySizeLimit
{
    public static IApplicationBuilder UseBodySizeLimit(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                ?? context.RequestServices.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.Http.MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                return ErrorWriter.WriteAsync(context, ErrorCodes.PayloadTooLarge,
                    $"The request body is too large: {context.Request.ContentLength} bytes, the limit is {limit}.");
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            return next(context);
        });
}
