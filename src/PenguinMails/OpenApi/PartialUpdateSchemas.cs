using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PenguinMails.Http;

namespace PenguinMails.OpenApi;

/// <summary>
/// PATCH bodies (<see cref="PartialUpdateAttribute"/>) as the server reads them: a field takes <c>null</c> only where
/// null clears it (<see cref="NullClearsAttribute"/>, marked <c>x-null-clears</c>), which the body's description
/// names; elsewhere the document's type loses its
/// <c>null</c>, which the generator gives every optional field. Runs on the finished components, after the generator
/// has wrapped nullable references in <c>oneOf: [null, $ref]</c>.
/// </summary>
internal static class PartialUpdateSchemas
{
    private static readonly Type[] Bodies = typeof(PartialUpdateAttribute).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<PartialUpdateAttribute>() is not null)
        .ToArray();

    public static Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        var components = document.Components?.Schemas;
        foreach (var body in Bodies)
        {
            if (components is null || !components.TryGetValue(body.Name, out var component) || component is not OpenApiSchema { Properties: { } properties })
            {
                continue;
            }

            var clearing = new List<string>();
            foreach (var member in body.GetProperties())
            {
                var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
                if (properties.TryGetValue(name, out var schema) && schema is OpenApiSchema field)
                {
                    var clears = member.GetCustomAttribute<NullClearsAttribute>() is not null;
                    properties[name] = clears ? Clearing(field) : NotNull(field);
                    if (clears)
                    {
                        clearing.Add($"`{name}`");
                    }
                }
            }

            var schemaOfBody = (OpenApiSchema)component;
            schemaOfBody.Description = (schemaOfBody.Description is null ? "" : schemaOfBody.Description.TrimEnd() + " ")
                + (clearing.Count == 0 ? "A field sent as null is refused: leave it out to keep its value."
                    : $"Sent as null, {Listed(clearing)} {(clearing.Count == 1 ? "is" : "are")} cleared; "
                        + "any other field sent as null is refused: leave it out to keep its value.");
        }

        return Task.CompletedTask;
    }

    private static string Listed(List<string> names) =>
        names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " and " + names[^1];

    /// <summary>The extension that marks a field whose null clears it: <c>"x-null-clears": true</c>.</summary>
    public const string NullClearsExtension = "x-null-clears";

    private static OpenApiSchema Clearing(OpenApiSchema field)
    {
        field.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        field.Extensions[NullClearsExtension] = new JsonNodeExtension(JsonValue.Create(true));
        return field;
    }

    private static IOpenApiSchema NotNull(OpenApiSchema field)
    {
        if (field.OneOf is { Count: 2 } choices && choices.SingleOrDefault(c => c.Type != JsonSchemaType.Null) is { } only)
        {
            return only;
        }

        if (field.Type is { } type)
        {
            field.Type = type & ~JsonSchemaType.Null;
        }
        else if (field.Items is null && field.OneOf is null && field.Properties is null or { Count: 0 })
        {
            field.Type = JsonSchemaType.String; // the generator writes a nullable string as {}
        }

        return field;
    }
}
