using System.Reflection;
using System.Text.Json;

namespace PenguinMails.Tests;

/// <summary>
/// The suite runs every shared scenario, and the SDK has a method for every public operation of the served OpenAPI
/// document (issue 15: "a test in each fails when such an operation has no SDK method").
/// </summary>
public sealed class CompletenessTests
{
    [Fact]
    public void Every_scenario_of_scenarios_json_has_its_test()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Harness.ScenariosFile));
        var ids = document.RootElement.GetProperty("scenarios").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
        var tests = typeof(ScenarioTests).GetMethods()
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => m.Name)
            .ToHashSet();

        Assert.NotEmpty(ids);
        var untested = ids.Where(id => !tests.Contains(id)).ToList();
        Assert.True(untested.Count == 0, "scenarios without a test: " + string.Join(", ", untested));
    }

    [Fact]
    public async Task Every_public_operation_of_the_served_document_has_its_method()
    {
        using var http = new HttpClient();
        using var openApi = JsonDocument.Parse(await http.GetStringAsync(new Uri(Harness.OpenApiUrl)));
        using var operations = JsonDocument.Parse(File.ReadAllText(Harness.OperationsFile));
        var listed = operations.RootElement.GetProperty("operations").EnumerateArray()
            .ToDictionary(o => o.GetProperty("operation_id").GetString()!);

        var served = new List<string>();
        foreach (var path in openApi.RootElement.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _)))
            {
                served.Add(op.Value.GetProperty("operationId").GetString()!);
            }
        }

        Assert.NotEmpty(served);
        var unlisted = served.Where(id => !listed.ContainsKey(id)).ToList();
        Assert.True(unlisted.Count == 0, "operations missing from operations.json: " + string.Join(", ", unlisted));
        var missing = new List<string>();
        foreach (var id in served)
        {
            var op = listed[id];
            var resource = typeof(PenguinMailsClient).GetProperty(Pascal(op.GetProperty("resource").GetString()!))?.PropertyType;
            var name = Pascal(op.GetProperty("name").GetString()!);
            if (!HasMethod(resource, name + "Async"))
            {
                missing.Add($"{id}: client.{Pascal(op.GetProperty("resource").GetString()!)}.{name}Async");
            }

            if (op.GetProperty("paged").GetBoolean() && !HasMethod(resource, name + "AllAsync"))
            {
                missing.Add($"{id}: client.{Pascal(op.GetProperty("resource").GetString()!)}.{name}AllAsync");
            }
        }

        Assert.True(missing.Count == 0, "operations without an SDK method: " + string.Join("; ", missing));
    }

    [Fact]
    public void Every_operation_method_takes_a_cancellation_token_last()
    {
        var methods = typeof(PenguinMailsClient).GetProperties()
            .Where(p => p.PropertyType.Name.EndsWith("Resource", StringComparison.Ordinal))
            .SelectMany(p => p.PropertyType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .ToList();

        Assert.True(methods.Count >= 67);
        Assert.All(methods, m => Assert.Equal(typeof(CancellationToken), m.GetParameters()[^1].ParameterType));
    }

    private static bool HasMethod(Type? resource, string name)
        => resource?.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.Name == name) == true;

    private static string Pascal(string camel) => char.ToUpperInvariant(camel[0]) + camel[1..];
}
