using PenguinMails.Http;

namespace PenguinMails.OpenApi;

/// <summary>
/// An error an endpoint answers beyond those its shape already implies (see <see cref="OperationErrors"/>): a
/// state conflict, a missing template. Read only by the OpenAPI document.
/// </summary>
public sealed record DeclaredError(ErrorCode Code);

public static class DeclaredErrorExtensions
{
    /// <summary>Declares in the OpenAPI document that the endpoint may answer these error codes.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params ErrorCode[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. codes.Select(c => new DeclaredError(c))]);
}

/// <summary>An endpoint of the operator's infrastructure (an MTA, a monitor), authenticated by the inbound token, not by an API key.</summary>
public sealed record OperatorEndpoint;
