using System.Text.Json.Nodes;

namespace PenguinMails.Portal.Docs;

/// <summary>One tab of an endpoint's code samples: its id (<c>curl</c>, <c>node</c>, ...), label and code.</summary>
public sealed record CodeSample(string Id, string Label, string Code);

/// <summary>
/// The code samples of an endpoint page (api-access-routes.md "Code Examples", issue 15): cURL and Ruby's net/http as
/// plain HTTP; Node.js, Python, PHP and C# as the call of this repository's SDKs (sdks/operations.json, the SDK
/// contract's names and call shapes: path parameters first, then the body, then query options). The example values
/// are filled in; the key is always the placeholder <c>pm_test_...</c>. Operations outside the SDKs (health probes)
/// get plain HTTP in every language.
/// </summary>
public static class CodeSamples
{
    public const string KeyPlaceholder = "pm_test_...";

    public static IReadOnlyList<CodeSample> For(DocOperation op, string baseUrl, DocSchemas schemas)
    {
        var url = baseUrl + op.ExamplePath + op.ExampleQuery;
        var plain = PlainHttp.For(op, url);
        return
        [
            new("curl", "cURL", plain.Curl),
            new("node", "Node.js", op.Sdk is { } n ? Node(op, n, baseUrl) : plain.Node),
            new("python", "Python", op.Sdk is { } p ? Python(op, p, baseUrl) : plain.Python),
            new("php", "PHP", op.Sdk is { } h ? Php(op, h, baseUrl) : plain.Php),
            new("ruby", "Ruby", plain.Ruby),
            new("csharp", "C#", op.Sdk is { } c ? CSharp(op, c, baseUrl, schemas, op.BodySchema) : plain.CSharp),
        ];
    }

    internal static List<JsonNode?> PathValues(DocOperation op, SdkMethod sdk) =>
        sdk.PathParams.Select(name => (JsonNode?)(op.Parameters.FirstOrDefault(p => p.Name == name)?.Example ?? name)).ToList();

    private static JsonObject? Query(DocOperation op) =>
        op.Parameters.Where(p => p.In == "query" && p.Required && p.Example is not null).ToList() is { Count: > 0 } query
            ? new JsonObject(query.Select(p => KeyValuePair.Create(p.Name, (JsonNode?)p.Example)))
            : null;

    private static string Node(DocOperation op, SdkMethod sdk, string baseUrl)
    {
        var args = PathValues(op, sdk).Select(v => CodeLiterals.JavaScript(v)).ToList();
        if ((sdk.Body || op.OperationId == "importContacts") && op.ExampleBody is not null)
        {
            args.Add(CodeLiterals.JavaScript(op.ExampleBody));
        }

        if (Query(op) is { } query)
        {
            args.Add(CodeLiterals.JavaScript(query));
        }

        var call = $"client.{sdk.Resource}.{sdk.Name}({string.Join(", ", args)})";
        var use = sdk.Paged
            ? $"for await (const item of client.{sdk.Resource}.{sdk.Name}All({string.Join(", ", args)})) {{\n    console.log(item);\n}}\n// or one page: const page = await {call};"
            : $"const result = await {call};\nconsole.log(result);";
        return $"const penguinmails = require('@penguinmails/sdk');\n\nconst client = new penguinmails.Client('{KeyPlaceholder}', {{ baseUrl: '{baseUrl}' }});\n\n{use}\n";
    }

    private static string Python(DocOperation op, SdkMethod sdk, string baseUrl)
    {
        var args = PathValues(op, sdk).Select(v => CodeLiterals.Python(v)).ToList();
        if ((sdk.Body || op.OperationId == "importContacts") && op.ExampleBody is not null)
        {
            args.Add(CodeLiterals.Python(op.ExampleBody));
        }

        foreach (var (name, value) in Query(op) ?? [])
        {
            args.Add($"{name}={CodeLiterals.Python(value)}");
        }

        var resource = CodeLiterals.Snake(sdk.Resource);
        var method = CodeLiterals.Snake(sdk.Name);
        var use = sdk.Paged
            ? $"for item in client.{resource}.{method}_all({string.Join(", ", args)}):\n    print(item)"
            : $"result = client.{resource}.{method}({string.Join(", ", args)})\nprint(result)";
        return $"import penguinmails\n\nclient = penguinmails.Client(\"{KeyPlaceholder}\", base_url=\"{baseUrl}\")\n\n{use}\n";
    }

    private static string Php(DocOperation op, SdkMethod sdk, string baseUrl)
    {
        var args = PathValues(op, sdk).Select(v => CodeLiterals.Php(v)).ToList();
        if ((sdk.Body || op.OperationId == "importContacts") && op.ExampleBody is not null)
        {
            args.Add(CodeLiterals.Php(op.ExampleBody));
        }

        if (Query(op) is { } query)
        {
            args.Add(CodeLiterals.Php(query));
        }

        var use = sdk.Paged
            ? $"foreach ($client->{sdk.Resource}->{sdk.Name}All({string.Join(", ", args)}) as $item) {{\n    print_r($item);\n}}"
            : $"$result = $client->{sdk.Resource}->{sdk.Name}({string.Join(", ", args)});\nprint_r($result);";
        return $"<?php\nrequire 'vendor/autoload.php';\n\n$client = new PenguinMails\\Client('{KeyPlaceholder}', ['base_url' => '{baseUrl}']);\n\n{use}\n";
    }

    /// <summary>
    /// The .NET SDK's shape: <c>client.Emails.SendAsync(new SendEmailRequest { ... })</c> — the request class named
    /// <c>&lt;OperationIdPascal&gt;Request</c>, PascalCase properties; path parameters first.
    /// </summary>
    private static string CSharp(DocOperation op, SdkMethod sdk, string baseUrl, DocSchemas schemas, JsonObject? bodySchema)
    {
        var args = PathValues(op, sdk).Select(v => CodeLiterals.CSharp(v, null, schemas, null)).ToList();
        var requestType = CodeLiterals.Pascal(CodeLiterals.Snake(op.OperationId)) + "Request";
        if (op.ExampleBody is JsonObject && (sdk.Body || bodySchema is not null))
        {
            args.Add(CodeLiterals.CSharp(op.ExampleBody, bodySchema, schemas, requestType));
        }
        else if (op.ExampleBody is JsonArray && op.OperationId == "importContacts")
        {
            // BulkImportAsync takes the contacts typed, each as the upsert's request: [new() { Email = ..., Tags = [...] }].
            var contact = new JsonObject { ["$ref"] = "#/components/schemas/UpsertContactRequest" };
            args.Add(CodeLiterals.CSharp(op.ExampleBody, new JsonObject { ["items"] = contact }, schemas, null));
        }

        var resource = CodeLiterals.Pascal(CodeLiterals.Snake(sdk.Resource));
        var method = CodeLiterals.Pascal(CodeLiterals.Snake(sdk.Name));
        var use = sdk.Paged
            ? $"await foreach (var item in client.{resource}.{method}AllAsync({string.Join(", ", args)}))\n{{\n    Console.WriteLine(item);\n}}"
            : $"var result = await client.{resource}.{method}Async({string.Join(", ", args)});\nConsole.WriteLine(result);";
        return $"using PenguinMails;\n\nvar client = new PenguinMailsClient(\"{KeyPlaceholder}\", new PenguinMailsClientOptions\n{{\n    BaseUrl = \"{baseUrl}\",\n}});\n\n{use}\n";
    }
}
