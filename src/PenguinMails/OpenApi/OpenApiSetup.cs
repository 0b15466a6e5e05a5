using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PenguinMails.Auth;
using PenguinMails.Http;
using Scalar.AspNetCore;

namespace PenguinMails.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document at /openapi/v1.json — every endpoint with its permission, schemas and error
/// responses — and the Scalar UI over it at /docs/api, served from the server itself.
/// </summary>
public static class OpenApiSetup
{
    private const string BearerScheme = "bearer";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "PenguinMails API",
                    Version = "v1",
                    Description = """
                        Send email, manage contacts and campaigns, pull analytics. Authenticate with
                        `Authorization: Bearer pm_live_...`. Every response uses the envelope
                        `{"success", "data", "meta"}`; errors `{"success": false, "error": {...}, "timestamp"}`.
                        Error codes are listed at /docs/errors.
                        """,
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key: pm_live_... or pm_test_...",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeAccessAndErrors);
        });

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs/api", o => o
                .WithTitle("PenguinMails API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddPreferredSecuritySchemes(BearerScheme))
            .AllowAnonymous();
        return app;
    }

    private static async Task DescribeAccessAndErrors(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var required = context.Description.ActionDescriptor.EndpointMetadata.OfType<PermissionDeclaration>().LastOrDefault();
        if (required is null)
        {
            return;
        }

        var errorSchema = await context.GetOrCreateSchemaAsync(typeof(ErrorEnvelope), null, ct);
        context.Document?.AddComponent(nameof(ErrorEnvelope), errorSchema);
        var reference = new OpenApiSchemaReference(nameof(ErrorEnvelope), context.Document);

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        var access = required.Permission is null ? "any valid API key" : $"the `{required.Permission}` permission";
        operation.Description = $"{operation.Description}\n\nRequires {access}.".Trim();
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-required-permission"] = new JsonNodeExtension(
            System.Text.Json.Nodes.JsonValue.Create(required.Permission ?? "any"));

        operation.Responses ??= new OpenApiResponses();
        foreach (var (status, text) in Errors(operation))
        {
            operation.Responses.TryAdd(status, new OpenApiResponse
            {
                Description = text,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = reference } },
            });
        }
    }

    private static IEnumerable<(string Status, string Text)> Errors(OpenApiOperation operation)
    {
        yield return ("400", "Validation error: details lists every failing field");
        yield return ("401", "AUTHENTICATION_REQUIRED, INVALID_API_KEY, API_KEY_REVOKED or API_KEY_EXPIRED");
        yield return ("403", "INSUFFICIENT_PERMISSIONS or IP_NOT_ALLOWED");
        if (operation.Parameters?.Any(p => p.In == ParameterLocation.Path) == true)
        {
            yield return ("404", "RESOURCE_NOT_FOUND (also for resources of other tenants)");
        }

        yield return ("429", "RATE_LIMIT_EXCEEDED, with Retry-After");
        yield return ("500", "INTERNAL_SERVER_ERROR");
    }
}
