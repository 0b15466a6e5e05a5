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

    /// <summary>Buffers the body of requests to idempotent endpoints that carry a key, so that it can be hashed after binding.</summary>
    public static IApplicationBuilder UseIdempotencyKeys(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.Headers.ContainsKey(IdempotencyFilter.Header)
                && context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is not null)
            {
                context.Request.EnableBuffering();
            }

            return next(context);
        });
}
