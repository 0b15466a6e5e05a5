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

    [GeneratedRegex("<script[^>]+src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
