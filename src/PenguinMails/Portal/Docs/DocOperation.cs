using System.Text.Json.Nodes;
using PenguinMails.Http;

namespace PenguinMails.Portal.Docs;

/// <summary>A path, query or header parameter of an operation: <c>In</c> is <c>path</c>, <c>query</c> or <c>header</c>.</summary>
public sealed record DocParameter(string Name, string In, string Type, bool Required, string? Description, string? Example);

/// <summary>A field of a JSON body or answer, nested names flattened with dots (<c>attachments[].filename</c>).</summary>
public sealed record DocField(string Name, string Type, bool Required, string? Description);

/// <summary>The error codes one status of an operation may carry, each with the message and remedy of <see cref="ErrorCodes"/>.</summary>
public sealed record DocError(int Status, IReadOnlyList<ErrorCode> Codes);

/// <summary>The SDKs' method for an operation (sdks/operations.json): <c>client.{Resource}.{Name}</c> in camelCase.</summary>
public sealed record SdkMethod(string Resource, string Name, IReadOnlyList<string> PathParams, IReadOnlyList<string> QueryParams,
    bool Body, bool Paged, bool Csv);

/// <summary>
/// One operation of the served OpenAPI document as the docs page shows it (api-access-routes.md "Endpoint Documentation"):
/// header, authentication and permission (<c>x-required-permission</c>), description, parameters, body fields, an example
/// body and answer, and the errors it declares. <see cref="Sdk"/> is null for operations outside the SDKs (health probes).
/// </summary>
public sealed record DocOperation(
    string OperationId, string Method, string Path, string Tag, string Summary, string? Description,
    bool Authenticated, string? Permission, bool Idempotent,
    IReadOnlyList<DocParameter> Parameters, string? BodyType, IReadOnlyList<DocField> BodyFields, JsonNode? ExampleBody,
    int SuccessStatus, string SuccessType, IReadOnlyList<DocField> ResponseFields, JsonNode? ExampleResponse,
    IReadOnlyList<DocError> Errors, SdkMethod? Sdk, JsonObject? BodySchema)
{
    /// <summary>The request path with the example values of its path parameters, e.g. <c>/api/v1/emails/{id}</c> filled in.</summary>
    public string ExamplePath => Parameters.Where(p => p.In == "path")
        .Aggregate(Path, (path, p) => path.Replace("{" + p.Name + "}", Uri.EscapeDataString(p.Example ?? p.Name), StringComparison.Ordinal));

    /// <summary>The example query string (required query parameters only), with its leading <c>?</c>, or empty.</summary>
    public string ExampleQuery => Parameters.Where(p => p.In == "query" && p.Required && p.Example is not null).ToList() is { Count: > 0 } query
        ? "?" + string.Join('&', query.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Example!)}"))
        : "";
}

/// <summary>The operations of one tag of the document, in the sidebar's order.</summary>
public sealed record DocTag(string Name, string Slug, string? Description, IReadOnlyList<DocOperation> Operations);
