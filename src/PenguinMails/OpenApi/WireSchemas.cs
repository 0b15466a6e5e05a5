using System.Collections;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PenguinMails.Emails;
using PenguinMails.Http;

namespace PenguinMails.OpenApi;

/// <summary>
/// Schemas that say what the JSON converters really accept and write, where the CLR type alone says otherwise:
/// address fields read by <see cref="OneOrManyConverter"/> take a string or an array of strings, and
/// <c>meta.pagination</c> appears only on lists (<see cref="ResponseMeta"/> writes it only when set).
/// </summary>
internal static class WireSchemas
{
    public const string ResponseMetaSchema = "ResponseMeta";
    public const string ListMetaSchema = "ListResponseMeta";

    /// <summary>Where Microsoft.AspNetCore.OpenApi keeps the component name a schema is referenced by.</summary>
    private const string SchemaId = "x-schema-id";

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonPropertyInfo?.CustomConverter is OneOrManyConverter)
        {
            schema.Type = null;
            schema.Items = null;
            schema.Description = "One address (a string) or several (an array of strings).";
            schema.OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.String },
                new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                new OpenApiSchema { Type = JsonSchemaType.Null },
            ];
        }

        // The meta of each envelope is its own schema: pagination only where the data is a list.
        if (context.JsonPropertyInfo is { Name: "meta", DeclaringType: { IsGenericType: true } envelope }
            && envelope.GetGenericTypeDefinition() == typeof(SuccessEnvelope<>))
        {
            var data = envelope.GetGenericArguments()[0];
            var isList = data != typeof(string) && typeof(IEnumerable).IsAssignableFrom(data) && !typeof(IDictionary).IsAssignableFrom(data);
            schema.Metadata ??= new Dictionary<string, object>();
            schema.Metadata[SchemaId] = isList ? ListMetaSchema : ResponseMetaSchema;
            if (isList)
            {
                schema.Description = "On paginated lists, `pagination` gives the cursor of the next page.";
            }
            else
            {
                schema.Properties?.Remove("pagination");
            }
        }

        return Task.CompletedTask;
    }
}
