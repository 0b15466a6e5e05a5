using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace PenguinMails.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document at /openapi/v1.json — every endpoint with its operationId (set by <c>WithName</c>
/// where it is mapped), permission, schemas and error responses — and the Scalar UI over it at /docs/api, served
/// from the server itself. The test suite lints it with Redocly's recommended rules (tools/openapi-lint).
/// </summary>
public static class OpenApiSetup
{
    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Health"] = "Liveness and readiness probes for load balancers and orchestrators; no key needed.",
        ["Account"] = "The calling API key.",
        ["API keys"] = "Create, list, edit, rotate and revoke the tenant's API keys.",
        ["Contacts"] = "The tenant's contacts: upsert by address, tags, import, export and GDPR requests.",
        ["Emails"] = "Send transactional email one at a time or in batches, follow and cancel it.",
        ["Campaigns"] = "Campaigns to an audience of contacts, from draft through sending.",
        ["Analytics"] = "Delivery and engagement figures.",
        ["Templates"] = "Handlebars email templates, addressed by slug.",
        ["Suppressions"] = "Addresses the tenant never sends to.",
        ["Operator: inbound reports"] = "For the installation's operator, not tenants: bounce and complaint reports piped from an MTA, "
            + "authenticated by the inbound token (PenguinMails:Bounces:InboundToken), never by an API key.",
    };

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddSchemaTransformer(WireSchemas.TransformAsync);
            options.AddOperationTransformer(OperationErrors.TransformAsync);
            options.AddOperationTransformer(QueryParameterSchemas.TransformAsync);
            options.AddDocumentTransformer(DescribeAsync);
            options.AddDocumentTransformer(PartialUpdateSchemas.TransformAsync);
        });

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs/api", o => o
                .WithTitle("PenguinMails API")
                .DisableDefaultFonts() // Inter and JetBrains Mono would come from Scalar's CDN: nothing leaves the machine
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddPreferredSecuritySchemes(OperationErrors.BearerScheme))
            .AllowAnonymous();
        return app;
    }

    private static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
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
        // The server URL is taken from the request; with an empty path base it ends in "/", and paths begin with one.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[OperationErrors.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: pm_live_... or pm_test_...",
        };
        document.Components.SecuritySchemes[OperationErrors.InboundTokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The operator's inbound token (PenguinMails:Bounces:InboundToken), for MTAs posting reports; not an API key.",
        };
        return Task.CompletedTask;
    }
}
