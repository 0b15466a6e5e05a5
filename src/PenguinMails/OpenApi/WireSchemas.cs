using System.Collections;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PenguinMails.Emails;
using PenguinMails.Http;

namespace PenguinMails.OpenApi;

/// <summary>
/// Schemas that say what the JSON converters really accept and write, where the CLR type alone says otherwise: strings
/// are strings (a property with a converter is otherwise untyped), address fields read by <see cref="OneOrManyConverter"/>
/// take a string or an array of strings (and a send answers <c>to</c> the same way), and <c>meta.pagination</c> appears
/// only on lists (<see cref="ResponseMeta"/> writes it only when set).
/// </summary>
internal static class WireSchemas
{
    public const string ResponseMetaSchema = "ResponseMeta";
    public const string ListMetaSchema = "ListResponseMeta";

    /// <summary>Where Microsoft.AspNetCore.OpenApi keeps the component name a schema is referenced by.</summary>
    private const string SchemaId = "x-schema-id";

    public static async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        // Strings are read by NulCharacters.StringConverter and instants by Timestamps.JsonConverter (RFC 3339), and the
        // generator writes what a converter of ours reads as {} (anything): each is a string, or null too where declared so.
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if ((type == typeof(string) || type == typeof(DateTimeOffset) || type == typeof(DateTime))
            && schema.Type is null && schema.OneOf is null && schema.AnyOf is null)
        {
            var nullable = context.JsonPropertyInfo is { IsGetNullable: true } or { IsSetNullable: true }
                || Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null;
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }

        // Enums are read and written by ExactEnumConverter, as the API's snake_case words.
        if (type.IsEnum && schema.Type is null && schema.OneOf is null && schema.Enum is not { Count: > 0 })
        {
            schema.Type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Enum = [.. QueryChoices.Names(type).Select(name => (JsonNode)JsonValue.Create(name))];
        }

        // For the same reason a list of strings came without items and a map of strings without its values' type.
        if (type != typeof(string) && StringValued(type) is { } shape)
        {
            var text = new OpenApiSchema { Type = JsonSchemaType.String };
            if (shape == typeof(IDictionary<,>))
            {
                schema.AdditionalProperties ??= text;
            }
            else
            {
                schema.Items ??= text;
            }
        }

        // A batch reads its items one by one (Emails/BatchItems): on the wire each is a send request.
        if (context.JsonPropertyInfo is { Name: "emails" } emails && emails.DeclaringType == typeof(BatchEmailRequest))
        {
            schema.Type = JsonSchemaType.Array;
            schema.Items = await context.GetOrCreateSchemaAsync(typeof(SendEmailRequest), null, ct);
            schema.MinItems = 1;
            schema.MaxItems = EmailsApi.MaxBatch;
        }

        if (context.JsonPropertyInfo?.CustomConverter is OneOrManyConverter)
        {
            OneOrMany(schema, nullable: true);
        }

        // A send answers `to` as the request gave it: one address as a string, several as an array.
        if (context.JsonPropertyInfo is { Name: "to" } to && to.DeclaringType == typeof(SendEmailResponse))
        {
            schema.Metadata?.Remove(SchemaId);
            OneOrMany(schema, nullable: false);
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
    }

    /// <summary><c>IDictionary&lt;,&gt;</c> for a map from strings to strings, <c>IEnumerable&lt;&gt;</c> for a list of strings, else null.</summary>
    private static Type? StringValued(Type type)
    {
        var interfaces = type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces();
        var generic = interfaces.Where(i => i.IsGenericType).Select(i => (Definition: i.GetGenericTypeDefinition(), Arguments: i.GetGenericArguments())).ToList();
        if (generic.Any(i => (i.Definition == typeof(IDictionary<,>) || i.Definition == typeof(IReadOnlyDictionary<,>)) && i.Arguments[1] == typeof(string)))
        {
            return typeof(IDictionary<,>);
        }

        return generic.Any(i => i.Definition == typeof(IEnumerable<>) && i.Arguments[0] == typeof(string))
            && !generic.Any(i => i.Definition == typeof(IDictionary<,>) || i.Definition == typeof(IReadOnlyDictionary<,>))
            ? typeof(IEnumerable<>)
            : null;
    }

    private static void OneOrMany(OpenApiSchema schema, bool nullable)
    {
        schema.Type = null;
        schema.Items = null;
        schema.Description = "One address (a string) or several (an array of strings).";
        schema.OneOf =
        [
            new OpenApiSchema { Type = JsonSchemaType.String },
            new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        ];
        if (nullable)
        {
            schema.OneOf.Add(new OpenApiSchema { Type = JsonSchemaType.Null });
        }
    }
}
