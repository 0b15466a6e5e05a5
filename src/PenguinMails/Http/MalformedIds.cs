using Microsoft.AspNetCore.Routing.Patterns;

namespace PenguinMails.Http;

/// <summary>
/// Requests for an id that cannot be one where a route takes a GUID (<c>GET /api/v1/webhooks/abc</c>, the route
/// <c>/api/v1/webhooks/{id:guid}</c>): no endpoint matches them, yet the path is right and the resource is what is
/// missing. They get RESOURCE_NOT_FOUND, as an unknown well-formed id does and as the routes that parse their own ids
/// (emails, campaigns, keys) answer — not ROUTE_NOT_FOUND, which tells the caller to check the path.
/// </summary>
public sealed class MalformedIds(EndpointDataSource endpoints)
{
    private readonly Lazy<IReadOnlyList<Shape>> _shapes = new(() => ShapesOf(endpoints));

    /// <summary>A GUID-constrained route's segments (null where a parameter goes) and the methods it takes.</summary>
    private sealed record Shape(string?[] Segments, IReadOnlyList<string> Methods);

    /// <summary>
    /// What the handlers call each resource a GUID route names, by the path segment before its id ("Contact not found.",
    /// as <c>GET /contacts/{id}</c> answers for an unknown well-formed id).
    /// </summary>
    private static readonly Dictionary<string, string> Resources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["contacts"] = "Contact", ["webhooks"] = "Webhook endpoint", ["deliveries"] = "Webhook delivery",
    };

    /// <summary>
    /// Whether <paramref name="request"/> has the shape of a GUID-constrained route (literals equal, any non-empty
    /// segment where a parameter goes) and one of its methods; <paramref name="resource"/> is what its id names, for the
    /// message (null when not known).
    /// </summary>
    public bool Names(HttpRequest request, out string? resource)
    {
        resource = null;
        var path = request.Path.Value;
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var segments = path.Trim('/').Split('/');
        var shape = _shapes.Value.FirstOrDefault(shape => shape.Segments.Length == segments.Length
            && shape.Methods.Contains(request.Method, StringComparer.OrdinalIgnoreCase)
            && shape.Segments.Zip(segments).All(pair => pair.Second.Length > 0
                && (pair.First is null || string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase))));
        if (shape is null)
        {
            return false;
        }

        var id = Array.IndexOf(shape.Segments, null);
        resource = id > 0 && Resources.TryGetValue(shape.Segments[id - 1]!, out var name) ? name : null;
        return true;
    }

    private static List<Shape> ShapesOf(EndpointDataSource endpoints) =>
        [.. endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is { HttpMethods.Count: > 0 } && TakesAGuid(e.RoutePattern))
            .Select(e => new Shape([.. e.RoutePattern.PathSegments.Select(Literal)], e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods))];

    private static bool TakesAGuid(RoutePattern pattern) =>
        pattern.Parameters.All(p => !p.IsCatchAll)
        && pattern.ParameterPolicies.Any(p => p.Value.Any(policy => policy.Content == "guid"));

    /// <summary>The segment's text when it is one literal; null (any value) when it holds a parameter.</summary>
    private static string? Literal(RoutePatternPathSegment segment) =>
        segment.Parts is [RoutePatternLiteralPart literal] ? literal.Content : null;
}
