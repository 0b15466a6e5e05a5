using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using PenguinMails.Http;

namespace PenguinMails.Portal.Docs;

/// <summary>The served OpenAPI document read as the docs page's tags and operations.</summary>
public sealed record ApiReferenceModel(IReadOnlyList<DocTag> Tags, DocSchemas Schemas)
{
    public IEnumerable<DocOperation> Operations => Tags.SelectMany(t => t.Operations);

    public DocOperation? Find(string operationId) => Operations.FirstOrDefault(o => o.OperationId == operationId);
}

/// <summary>
/// The docs page's view of the API, built once per process from the same OpenAPI document /openapi/v1.json serves —
/// asked of ASP.NET Core's document provider in-process, never over HTTP — and the SDK names of sdks/operations.json
/// (embedded in the executable). Tags in the spec's sidebar order (Emails, Campaigns, Contacts, Analytics, Webhooks),
/// then the others in the document's order.
/// </summary>
public sealed partial class ApiReference(IServiceScopeFactory scopes)
{
    private static readonly string[] SpecOrder = ["Emails", "Campaigns", "Contacts", "Analytics", "Webhooks"];
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    private Task<ApiReferenceModel>? _model;

    /// <summary>The model, built by the first caller and shared; a build that failed is tried again by the next one.</summary>
    public Task<ApiReferenceModel> GetAsync()
    {
        var current = Volatile.Read(ref _model);
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            var fresh = Task.Run(() => BuildAsync(scopes));
            current = Interlocked.CompareExchange(ref _model, fresh, current) == current ? fresh : Volatile.Read(ref _model)!;
        }

        return current;
    }

    private static async Task<ApiReferenceModel> BuildAsync(IServiceScopeFactory scopes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var provider = scope.ServiceProvider.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1");
        var document = await provider.GetOpenApiDocumentAsync(CancellationToken.None);
        var json = JsonNode.Parse(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1))!.AsObject();
        var schemas = new DocSchemas(json["components"]?["schemas"] as JsonObject);
        var sdk = SdkMethods();
        var operations = new List<DocOperation>();
        foreach (var (path, item) in json["paths"]!.AsObject())
        {
            foreach (var method in Methods)
            {
                if (item?[method] is JsonObject operation)
                {
                    operations.Add(Read(path, method.ToUpperInvariant(), operation, schemas, sdk));
                }
            }
        }

        var documentOrder = (json["tags"] as JsonArray ?? []).Select(t => t?["name"]?.GetValue<string>() ?? "").ToList();
        var descriptions = (json["tags"] as JsonArray ?? []).ToDictionary(t => t?["name"]?.GetValue<string>() ?? "", t => t?["description"]?.GetValue<string>());
        var tags = operations.GroupBy(o => o.Tag)
            .OrderBy(g => Array.IndexOf(SpecOrder, g.Key) is var i and >= 0 ? i : SpecOrder.Length + documentOrder.IndexOf(g.Key))
            .Select(g => new DocTag(g.Key, Slug(g.Key), descriptions.GetValueOrDefault(g.Key), g.ToList()))
            .ToList();
        return new ApiReferenceModel(tags, schemas);
    }

    private static DocOperation Read(string path, string method, JsonObject op, DocSchemas schemas, Dictionary<string, SdkMethod> sdk)
    {
        var id = op["operationId"]!.GetValue<string>();
        var parameters = (op["parameters"] as JsonArray ?? []).OfType<JsonObject>().Select(p =>
        {
            var name = p["name"]!.GetValue<string>();
            var @in = p["in"]!.GetValue<string>();
            var required = @in == "path" || p["required"]?.GetValue<bool>() == true;
            return new DocParameter(name, @in, schemas.TypeOf(p["schema"]), required, p["description"]?.GetValue<string>(),
                @in == "path" || (@in == "query" && required) ? DocExamples.ForParameter(name) : null);
        }).ToList();

        var bodySchema = op["requestBody"]?["content"]?["application/json"]?["schema"];
        var exampleBody = DocExamples.ForOperation(id, out var written);
        if (!written && bodySchema is not null)
        {
            exampleBody = schemas.Example(bodySchema, null, requiredOnly: true);
        }

        var (status, success) = (op["responses"] as JsonObject ?? []).Where(r => r.Key.StartsWith('2'))
            .Select(r => (int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture), r.Value as JsonObject)).OrderBy(r => r.Item1).First();
        var successSchema = success?["content"]?["application/json"]?["schema"];
        var errors = (op["responses"] as JsonObject ?? []).Where(r => r.Key[0] is '4' or '5')
            .Select(r => new DocError(int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture), CodesOf(r.Value?["description"]?.GetValue<string>())))
            .OrderBy(e => e.Status).ToList();
        return new DocOperation(id, method, path, (op["tags"] as JsonArray)?[0]?.GetValue<string>() ?? "Other",
            op["summary"]?.GetValue<string>() ?? id, WithoutPermissionLine(op["description"]?.GetValue<string>()),
            op["security"] is JsonArray { Count: > 0 }, op["x-required-permission"]?.GetValue<string>(),
            parameters.Any(p => p.Name == Http.Idempotency.IdempotencyFilter.Header),
            parameters, exampleBody is null && bodySchema is null ? null : "application/json", schemas.Fields(bodySchema), exampleBody,
            status, successSchema is null ? "text/csv" : "application/json", schemas.Fields(successSchema),
            successSchema is null ? null : schemas.Example(successSchema, null, requiredOnly: false), errors, sdk.GetValueOrDefault(id),
            schemas.NonNull(bodySchema));
    }

    /// <summary>"VALIDATION_ERROR, MALFORMED_JSON (see /docs/errors)" → those codes, as <see cref="ErrorCodes"/> knows them.</summary>
    private static List<ErrorCode> CodesOf(string? description) =>
        (description ?? "").Split(" (see", 2)[0].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(code => ErrorCodes.All.FirstOrDefault(e => e.Code == code)).OfType<ErrorCode>().ToList();

    /// <summary>The document ends each description with "Requires the `x` permission."; the page shows that as its own line.</summary>
    private static string? WithoutPermissionLine(string? description) =>
        description is null ? null : RequiresLine().Replace(description, "").Trim() is { Length: > 0 } rest ? rest : null;

    [GeneratedRegex(@"\s*Requires (any valid API key|the `[^`]+` permission)\.\s*$")]
    private static partial Regex RequiresLine();

    private static string Slug(string tag) => tag.ToLowerInvariant().Replace(' ', '-');

    private static Dictionary<string, SdkMethod> SdkMethods()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PenguinMails.operations.json")!;
        using var json = JsonDocument.Parse(stream);
        return json.RootElement.GetProperty("operations").EnumerateArray().ToDictionary(
            o => o.GetProperty("operation_id").GetString()!,
            o => new SdkMethod(o.GetProperty("resource").GetString()!, o.GetProperty("name").GetString()!,
                Strings(o.GetProperty("path_params")), Strings(o.GetProperty("query_params")),
                o.GetProperty("body").GetBoolean(), o.GetProperty("paged").GetBoolean(), o.GetProperty("csv").GetBoolean()));
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}
