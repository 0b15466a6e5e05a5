namespace PenguinMails.Http.Idempotency;

/// <summary>Marks a write endpoint as honouring <c>Idempotency-Key</c>.</summary>
public sealed record IdempotentEndpoint;

public static class IdempotencyExtensions
{
    public static IServiceCollection AddIdempotencyKeys(this IServiceCollection services) =>
        services.AddSingleton<IdempotencyStore>();

    /// <summary>The endpoint replays the first answer to a repeated <c>Idempotency-Key</c> (see <see cref="IdempotencyFilter"/>).</summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotentEndpoint()).AddEndpointFilter<TBuilder, IdempotencyFilter>();

    /// <summary>
    /// Buffers the body of requests to idempotent endpoints that carry a key, so that it can be hashed after binding.
    /// An <c>Idempotency-Key</c> sent to an <c>/api/</c> operation that does not take one is refused
    /// (<c>400 VALIDATION_ERROR</c>), never ignored: the caller would believe a retry safe that runs the write twice (two
    /// API keys, two webhook endpoints). The operations that take one list the header in the OpenAPI document, and the
    /// SDKs send it only to those. Checked after authorization, as unknown query parameters are.
    /// </summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (!context.Request.Headers.ContainsKey(IdempotencyFilter.Header))
            {
                return next(context);
            }

            if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is not null)
            {
                context.Request.EnableBuffering();
                return next(context);
            }

            return context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && context.GetEndpoint() is RouteEndpoint
                ? ErrorWriter.WriteAsync(context, ErrorCodes.ValidationError, null, [new ErrorDetail(IdempotencyFilter.Header, NotTaken)])
                : next(context);
        });

    /// <summary>The refusal of a key sent to an operation that does not take one.</summary>
    public const string NotTaken = "This operation does not take an Idempotency-Key: it would not make a retry safe. "
        + "The writes that take one list it in the API reference (email sends, batches and cancels; contact upserts and imports; campaign creation and actions).";
}
