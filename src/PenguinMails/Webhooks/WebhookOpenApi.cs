using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PenguinMails.Webhooks;

/// <summary>
/// The OpenAPI 3.1 document's <c>webhooks</c> section: one entry per event type, a POST with its payload's schema and
/// the Standard Webhooks headers, and the answers the sender understands (2xx done; 410 disables; 429/503 with
/// Retry-After; anything else is retried).
/// </summary>
public static class WebhookOpenApi
{
    public static IServiceCollection AddWebhookDocument(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", o => o.AddDocumentTransformer(TransformAsync));

    private static async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name == "Webhooks")
            {
                tag.Description = "Endpoints of your own that receive signed events (Standard Webhooks), their delivery logs and replays.";
            }
        }

        document.Webhooks ??= new Dictionary<string, IOpenApiPathItem>();
        foreach (var info in WebhookEventTypes.Described)
        {
            var name = info.Payload.Name;
            if (document.Components.Schemas?.ContainsKey(name) != true)
            {
                document.AddComponent(name, await context.GetOrCreateSchemaAsync(info.Payload, null, ct));
            }

            document.Webhooks[info.Type] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Post] = Operation(info, new OpenApiSchemaReference(name, document)),
                },
            };
        }
    }

    private static OpenApiOperation Operation(WebhookEventTypes.Info info, IOpenApiSchema schema) => new()
    {
        OperationId = "webhook_" + info.Type.Replace('.', '_'),
        Summary = info.Type,
        Description = info.Description + " The body's `type` is `" + info.Type + "`. Verify `webhook-signature` before trusting it " +
            "(HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with the endpoint's secret, see README \"Webhooks\").",
        Tags = new HashSet<OpenApiTagReference> { new("Webhooks") },
        Security = [], // sent by the server, authenticated by webhook-signature rather than a scheme of this API
        Parameters =
        [
            Header("webhook-id", "The event's id (`evt_...`), the same on every retry and replay: de-duplicate on it."),
            Header("webhook-timestamp", "Unix seconds of this attempt; refuse ones far from your clock."),
            Header("webhook-signature", "Space-separated `v1,<base64>` signatures, two during the 24 hours after a secret rotation."),
        ],
        RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        },
        Responses = new OpenApiResponses
        {
            ["200"] = new OpenApiResponse { Description = "Received (any 2xx). Answer within 15 seconds." },
            ["410"] = new OpenApiResponse { Description = "Gone: the endpoint is disabled and receives nothing more." },
            ["429"] = new OpenApiResponse { Description = "Too many: tried again after Retry-After (seconds or an HTTP date), else on the retry schedule." },
        },
    };

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
