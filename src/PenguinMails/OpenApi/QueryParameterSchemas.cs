using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PenguinMails.Http;

namespace PenguinMails.OpenApi;

/// <summary>
/// Gives each query parameter of the document the schema a client needs: the words of a <see cref="OneOfAttribute"/>
/// parameter as its <c>enum</c> (for a comma-separated one, in its description; for a repeated one, in its items'),
/// and <c>type: string</c> where the generator wrote an empty schema (the lists read every filter as text and check it
/// themselves); the shared parameters (limit, cursor, from, to…) described alike everywhere. Runs after <see cref="OperationErrors"/>, which writes the parameters' snake_case names.
/// </summary>
internal static class QueryParameterSchemas
{
    /// <summary>The parameters that read an instant (Http/Timestamps: RFC 3339 with a zone).</summary>
    private static readonly HashSet<string> Instants = ["from", "to", "created_after", "created_before"];

    /// <summary>What the parameters shared by several lists mean, where an operation does not say more.</summary>
    private static readonly Dictionary<string, string> Shared = new(StringComparer.Ordinal)
    {
        ["limit"] = $"Items per page, 1 to {Paging.MaxLimit} (default {Paging.DefaultLimit}).",
        ["cursor"] = "The next_cursor of the previous page, unchanged; it is valid only with the sort and order it was made in.",
        ["search"] = "Only items whose text contains this, in any case.",
        ["from"] = "At or after this instant (RFC 3339 with a zone).",
        ["to"] = "Before this instant (RFC 3339 with a zone).",
        ["created_after"] = "Created at or after this instant (RFC 3339 with a zone).",
        ["created_before"] = "Created before this instant (RFC 3339 with a zone).",
        ["sort"] = "The field the list is ordered by.",
        ["order"] = "asc or desc; by default newest first when sorted by a time, A to Z when sorted by a name or address.",
        ["tag"] = "Only items carrying this tag.",
        ["key_id"] = "One API key: its id or its identifier (pm_live_… or pm_test_…).",
        ["endpoint"] = "One endpoint as the request log records it: a method and a route template, such as POST /api/v1/emails/send.",
    };

    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            var described = context.Description.ParameterDescriptions
                .FirstOrDefault(d => JsonNamingPolicy.SnakeCaseLower.ConvertName(d.Name) == parameter.Name);
            var oneOf = (described?.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo.GetCustomAttribute<OneOfAttribute>();
            var isArray = parameter.Schema?.Type is { } type && type.HasFlag(JsonSchemaType.Array);
            if (Shared.TryGetValue(parameter.Name!, out var meaning))
            {
                parameter.Description ??= meaning;
            }

            if (oneOf is null)
            {
                if (parameter.Schema?.Type is null && parameter.Schema is not OpenApiSchemaReference)
                {
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = Instants.Contains(parameter.Name!) ? "date-time" : null };
                }

                continue;
            }

            var words = oneOf.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
            var listed = string.Join(", ", oneOf.Values);
            if (isArray)
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = words } };
                parameter.Description ??= $"Repeated or comma-separated, each one of: {listed}.";
            }
            else if (oneOf.CommaSeparated)
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String };
                parameter.Description ??= $"One or several, comma-separated, of: {listed}.";
            }
            else
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = words };
            }
        }

        return Task.CompletedTask;
    }
}
