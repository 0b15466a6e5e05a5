using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

public sealed partial class OpenApiTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    private async Task<JsonNode> DocumentAsync()
    {
        var response = await app.Client().GetAsync("/openapi/v1.json");
        Assert.Equal(200, (int)response.StatusCode);
        return await response.BodyAsync();
    }

    [Fact]
    public async Task Document_IsOpenApi31_WithOnlyCanonicalPaths()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/platform/api-keys", paths);
        Assert.Contains("/api/v1/platform/api-keys/{id}/rotate", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryApiOperation_StatesPermissionSecurityAndErrors()
    {
        var document = await DocumentAsync();
        var operations = document["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key} {p.Key}", Operation: o.Value!)))
            .ToList();
        Assert.True(operations.Count >= 7, $"only {operations.Count} operations documented");
        foreach (var (name, operation) in operations)
        {
            Assert.True(operation["x-required-permission"] is not null, $"{name} has no x-required-permission");
            Assert.True(operation["security"]?.AsArray().Count > 0, $"{name} has no security requirement");
            foreach (var status in new[] { "401", "403", "429" })
            {
                var reference = operation["responses"]?[status]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                Assert.True(reference == "#/components/schemas/ErrorEnvelope", $"{name} {status} is not an ErrorEnvelope: {reference}");
            }
        }
    }

    [Fact]
    public async Task CreateKey_DocumentsItsPermissionAndRequestSchema()
    {
        var create = (await DocumentAsync())["paths"]!["/api/v1/platform/api-keys"]!["post"]!;
        Assert.Equal("admin:api_keys", create["x-required-permission"]!.GetValue<string>());
        Assert.NotNull(create["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(create["responses"]!["201"]);
    }

    /// <summary>
    /// Every field of every schema says what JSON it is. Strings are read by a converter of ours, and the generator once
    /// wrote each of them as <c>{}</c> (226 fields, which the SDKs typed <c>string | null</c>) and every list of them as an
    /// array of anything; the web defaults read numbers from strings, and the document typed every count in an answer
    /// "integer or string".
    /// </summary>
    [Fact]
    public async Task EveryField_SaysItsType_AndNoNumberIsAlsoAString()
    {
        var document = await DocumentAsync();
        var faults = new List<string>();
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject())
        {
            CheckFields(name, schema!, faults);
        }

        Assert.True(faults.Count == 0, string.Join("\n", faults));
    }

    private static void CheckFields(string path, JsonNode schema, List<string> faults)
    {
        var nested = new List<(string Path, JsonNode Schema)>();
        foreach (var (field, value) in schema["properties"]?.AsObject() ?? [])
        {
            nested.Add(($"{path}.{field}", value!));
        }

        if (schema["items"] is { } items)
        {
            nested.Add(($"{path}[]", items));
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            nested.Add(($"{path}{{}}", values));
        }

        foreach (var choice in (schema["oneOf"] ?? schema["anyOf"])?.AsArray() ?? [])
        {
            nested.Add(($"{path}|", choice!));
        }

        foreach (var (field, value) in nested)
        {
            if (!Typed(value))
            {
                faults.Add($"{field} has no type: {value.ToJsonString()}");
            }

            if (Types(value).Contains("array") && value["items"] is null && value["maxItems"]?.GetValue<int>() != 0)
            {
                faults.Add($"{field} is an array of nothing said: {value.ToJsonString()}");
            }

            if (Types(value) is var types && types.Intersect(["integer", "number"]).Any() && types.Contains("string"))
            {
                faults.Add($"{field} is a number or a string: {value.ToJsonString()}");
            }

            CheckFields(field, value, faults);
        }
    }

    private static List<string> Types(JsonNode schema) => schema["type"] switch
    {
        JsonArray many => many.Select(t => (string)t!).ToList(),
        JsonValue one => [(string)one!],
        _ => [],
    };

    private static bool Typed(JsonNode schema) =>
        new[] { "type", "$ref", "oneOf", "anyOf", "allOf", "enum", "const" }.Any(k => schema[k] is not null);

    private static List<(string Name, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key} {p.Key}", Operation: o.Value!)))
            .ToList();

    [Fact]
    public async Task EveryOperation_HasAUniqueCamelCaseOperationId()
    {
        var operations = Operations(await DocumentAsync());
        var missing = operations.Where(o => o.Operation["operationId"] is null).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, $"operations without an operationId: {string.Join(", ", missing)}");
        var ids = operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-z][a-zA-Z]+$", id));
        Assert.Contains("sendEmail", ids);
        Assert.Contains("rotateApiKey", ids);
    }

    [Fact]
    public async Task Document_PassesRedoclyRecommendedRules_WithoutErrors()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("penguinmails-openapi-").FullName, "openapi.json");
        await File.WriteAllTextAsync(file, (await DocumentAsync()).ToJsonString());
        var (exitCode, output, errors) = await RedoclyLint.RunAsync(file);
        Assert.True(exitCode == 0 && errors.Count == 0, $"redocly lint exited {exitCode}:\n{output}");
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public async Task IdempotentOperations_DeclareTheKeyHeaderWithItsConflictAndReuseAnswers()
    {
        var document = await DocumentAsync();
        var send = document["paths"]!["/api/v1/emails/send"]!["post"]!;
        var header = send["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "Idempotency-Key")!;
        Assert.Equal("header", header["in"]!.GetValue<string>());
        Assert.Equal(255, header["schema"]!["maxLength"]!.GetValue<int>());
        foreach (var (name, operation) in Operations(document))
        {
            var idempotent = operation["parameters"]?.AsArray().Any(p => p!["name"]!.GetValue<string>() == "Idempotency-Key") == true;
            var responses = operation["responses"]!;
            Assert.True(!idempotent || (responses["409"]!["description"]!.GetValue<string>().Contains("IDEMPOTENCY_KEY_IN_FLIGHT")
                && responses["422"]!["description"]!.GetValue<string>().Contains("IDEMPOTENCY_KEY_REUSED")), $"{name} lacks its 409/422");
        }

        Assert.Contains("TEMPLATE_NOT_FOUND", send["responses"]!["422"]!["description"]!.GetValue<string>());
        Assert.Contains("MISSING_TEMPLATE_VARIABLES", send["responses"]!["422"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task OperationsWithABody_DeclareMalformedTooLargeAndWrongMediaType()
    {
        foreach (var (name, operation) in Operations(await DocumentAsync()).Where(o => o.Operation["requestBody"] is not null))
        {
            foreach (var status in new[] { "400", "413", "415", "500" })
            {
                Assert.True(operation["responses"]![status] is not null, $"{name} does not declare {status}");
            }
        }
    }

    [Fact]
    public async Task OneOrManyAddressFields_AreTypedStringOrArrayOfStrings()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;
        var fields = new[] { "to", "cc", "bcc", "reply_to" }.Select(f => schemas["SendEmailRequest"]!["properties"]![f]!)
            .Append(schemas["SendEmailResponse"]!["properties"]!["to"]!);
        foreach (var field in fields)
        {
            var types = field["oneOf"]!.AsArray().Select(s => s!["type"]!.ToJsonString()).ToList();
            Assert.Contains("\"string\"", types);
            Assert.Contains("\"array\"", types);
            Assert.Null(field["type"]);
        }
    }

    [Fact]
    public async Task AnonymousProbes_DeclareEmptySecurity_NoValidationError_NoPagination()
    {
        var document = await DocumentAsync();
        foreach (var path in new[] { "/healthz", "/readyz" })
        {
            var probe = document["paths"]![path]!["get"]!;
            Assert.Empty(probe["security"]!.AsArray());
            Assert.Null(probe["responses"]!["400"]);
            var envelope = probe["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
            var meta = document["components"]!["schemas"]![envelope.Split('/')[^1]]!["properties"]!["meta"]!["$ref"]!.GetValue<string>();
            Assert.Null(document["components"]!["schemas"]![meta.Split('/')[^1]]!["properties"]!["pagination"]);
        }

        Assert.NotNull(document["paths"]!["/readyz"]!["get"]!["responses"]!["503"]);
        Assert.All(document["servers"]!.AsArray(), s => Assert.False(s!["url"]!.GetValue<string>().EndsWith('/')));
    }

    [Fact]
    public async Task InteractiveDocs_AreServedLocally()
    {
        Assert.Equal(302, (int)(await app.Client().GetAsync("/docs/api")).StatusCode);
        var page = await app.Client().GetAsync("/docs/api/");
        Assert.Equal(200, (int)page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("PenguinMails API", html);
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        Assert.DoesNotContain(scripts, s => s.StartsWith("http", StringComparison.Ordinal));
        foreach (var script in scripts)
        {
            var url = script.StartsWith('/') ? script : "/docs/api/" + script.TrimStart('.', '/');
            Assert.Equal(200, (int)(await app.Client().GetAsync(url)).StatusCode);
        }
    }

    /// <summary>
    /// The document's texts come from the code's doc comments: none may show a reader what only the code knows — a .NET
    /// type (<c>JsonElement</c>, <c>DateTimeOffset</c>), or a constant the XML docs render as <c>string Type.Name</c>.
    /// </summary>
    [Fact]
    public async Task Descriptions_NameNoDotNetTypeOrConstant()
    {
        var document = await DocumentAsync();
        var leaks = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "description" && value is JsonValue text && CodeOnlyName().Match(text.GetValue<string>()) is { Success: true } found)
                        {
                            leaks.Add($"'{found.Value}' in: {text.GetValue<string>()}");
                        }

                        Walk(value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(document);
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }

    [GeneratedRegex(@"\b(?:JsonElement|JsonNode|JsonObject|DateTimeOffset|DateTime|Guid|IReadOnlyList|List<|Dictionary<|(?:string|int|bool|long) [A-Z]\w*\.[A-Z]\w*)")]
    private static partial Regex CodeOnlyName();

    [GeneratedRegex("<script[^>]+src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
