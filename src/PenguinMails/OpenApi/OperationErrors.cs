using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PenguinMails.Auth;
using PenguinMails.Http;
using PenguinMails.Http.Idempotency;

namespace PenguinMails.OpenApi;

/// <summary>
/// Declares on each operation who may call it and every error it can answer, derived from what the endpoint
/// is rather than listed by hand: a key requirement brings 400 (key in the query string), 401, 403 and 429; a
/// parameter brings 400 and a path parameter 404; a body brings 400, 413 and 415; the Idempotency-Key filter
/// brings its header, 409 (in flight) and 422 (reused); <see cref="DeclaredError"/> adds the rest. Each error
/// response is the <see cref="ErrorEnvelope"/> and names its codes.
/// </summary>
internal static class OperationErrors
{
    public const string BearerScheme = "bearer";

    /// <summary>The operator's inbound token (<c>PenguinMails:Bounces:InboundToken</c>), not an API key.</summary>
    public const string InboundTokenScheme = "inboundToken";

    public static async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        // [AsParameters] records are read case-insensitively; the document names them as clients write them.
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            parameter.Name = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(parameter.Name!);
        }

        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var permission = metadata.OfType<PermissionDeclaration>().LastOrDefault();
        if (metadata.OfType<OperatorEndpoint>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(InboundTokenScheme, context.Document)] = [] }];
        }
        else if (permission is null)
        {
            operation.Security = [];
        }
        else
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            var access = permission.Permission is null ? "any valid API key" : $"the `{permission.Permission}` permission";
            operation.Description = $"{operation.Description}\n\nRequires {access}.".Trim();
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-required-permission"] = new JsonNodeExtension(
                System.Text.Json.Nodes.JsonValue.Create(permission.Permission ?? "any"));
        }

        var idempotent = metadata.OfType<IdempotentEndpoint>().Any();
        if (idempotent)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(IdempotencyKeyParameter());
        }

        var errorSchema = await context.GetOrCreateSchemaAsync(typeof(ErrorEnvelope), null, ct);
        context.Document?.AddComponent(nameof(ErrorEnvelope), errorSchema);
        var reference = new OpenApiSchemaReference(nameof(ErrorEnvelope), context.Document);
        operation.Responses ??= new OpenApiResponses();
        // An answer the framework inferred for a status (e.g. from ApiError) is replaced by the codes of that status.
        foreach (var group in Errors(metadata, context.Description.ParameterDescriptions, permission is not null, idempotent)
                     .Distinct().GroupBy(c => c.Status).OrderBy(g => g.Key))
        {
            var status = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            operation.Responses[status] = new OpenApiResponse
            {
                Description = $"{string.Join(", ", group.Select(c => c.Code))} (see /docs/errors)",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = reference } },
            };
        }
    }

    private static IEnumerable<ErrorCode> Errors(IList<object> metadata, IList<Microsoft.AspNetCore.Mvc.ApiExplorer.ApiParameterDescription> parameters,
        bool authenticated, bool idempotent)
    {
        if (authenticated)
        {
            yield return ErrorCodes.ApiKeyInQueryString;
            yield return ErrorCodes.AuthenticationRequired;
            yield return ErrorCodes.InvalidApiKey;
            yield return ErrorCodes.ApiKeyRevoked;
            yield return ErrorCodes.ApiKeyExpired;
            yield return ErrorCodes.HttpsRequired;
            yield return ErrorCodes.IpNotAllowed;
            yield return ErrorCodes.InsufficientPermissions;
            yield return ErrorCodes.RateLimitExceeded;
        }

        if (parameters.Any(p => p.Source == BindingSource.Query || p.Source == BindingSource.Path || p.Source == BindingSource.Header))
        {
            yield return ErrorCodes.ValidationError;
        }

        if (parameters.Any(p => p.Source == BindingSource.Path))
        {
            yield return ErrorCodes.ResourceNotFound;
        }

        if (metadata.OfType<IAcceptsMetadata>().Any() || parameters.Any(p => p.Source == BindingSource.Body))
        {
            yield return ErrorCodes.ValidationError;
            yield return ErrorCodes.MissingRequiredField;
            yield return ErrorCodes.MalformedJson;
            yield return ErrorCodes.PayloadTooLarge;
            yield return ErrorCodes.UnsupportedMediaType;
        }

        if (idempotent)
        {
            yield return ErrorCodes.ValidationError;
            yield return ErrorCodes.IdempotencyKeyInFlight;
            yield return ErrorCodes.IdempotencyKeyReused;
        }

        foreach (var declared in metadata.OfType<DeclaredError>())
        {
            yield return declared.Code;
        }

        yield return ErrorCodes.InternalServerError;
    }

    /// <summary>The rules of <see cref="IdempotencyFilter"/>: 1 to 255 characters, none of them a control character.</summary>
    private static OpenApiParameter IdempotencyKeyParameter() => new()
    {
        Name = IdempotencyFilter.Header,
        In = ParameterLocation.Header,
        Required = false,
        Description = """
            Makes the write safe to retry: the same key with the same request within 24 hours gets the first answer
            again (with `Idempotent-Replayed: true`); the same key with another request is a 422
            IDEMPOTENCY_KEY_REUSED; a retry while the first is still running is a 409 IDEMPOTENCY_KEY_IN_FLIGHT.
            Answers of 5xx are not kept. Keys are per tenant and key environment: a `pm_test_` and a `pm_live_` key never
            share one.
            """,
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MinLength = 1,
            MaxLength = 255,
            Pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]+$",
        },
    };
}
