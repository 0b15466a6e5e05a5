using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Sdks;

/// <summary>
/// sdks/operations.json — what the four SDKs and the docs' code samples are generated from — says of every public
/// operation exactly what the served OpenAPI document says: its method and path, its query parameters, whether it
/// takes an Idempotency-Key and whether it pages. A new operation or parameter without the SDKs regenerated
/// (README "SDKs": after an API change) fails here, in the server's own suite.
/// </summary>
public sealed class SdkOperationsTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task OperationsJson_MatchesTheServedDocument_ForEveryPublicOperation()
    {
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var served = new Dictionary<string, (string Method, string Path, JsonArray Parameters)>();
        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Value?["operationId"] is not null))
            {
                served[operation!["operationId"]!.GetValue<string>()] =
                    (method.ToUpperInvariant(), path, operation["parameters"]?.AsArray() ?? []);
            }
        }

        var listed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Checkout.Root(), "sdks", "operations.json")))!["operations"]!
            .AsArray().ToDictionary(o => o!["operation_id"]!.GetValue<string>(), o => o!);
        Assert.Equal(served.Keys.Order(), listed.Keys.Order());
        foreach (var (id, (method, path, parameters)) in served)
        {
            var entry = listed[id];
            string[] Names(string where) => [.. parameters.Where(p => p!["in"]!.GetValue<string>() == where).Select(p => p!["name"]!.GetValue<string>())];
            Assert.Equal((method, path), (entry["method"]!.GetValue<string>(), entry["path"]!.GetValue<string>()));
            Assert.True(Names("query").SequenceEqual(entry["query_params"]!.AsArray().Select(q => q!.GetValue<string>())),
                $"{id}: the document's query parameters are {string.Join(", ", Names("query"))}");
            Assert.Equal(Names("header").Contains("Idempotency-Key"), entry["idempotency_key"]!.GetValue<bool>());
            Assert.Equal(Names("query").Contains("cursor"), entry["paged"]!.GetValue<bool>());
        }
    }
}
