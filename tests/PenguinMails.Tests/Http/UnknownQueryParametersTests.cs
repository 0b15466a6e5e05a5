using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// A query parameter its operation does not have is refused with <c>400 VALIDATION_ERROR</c> naming it, on every
/// operation of the OpenAPI document, while every parameter the document lists is taken.
/// </summary>
public abstract class UnknownQueryParametersTests(PenguinMailsFactory app)
{
    private const string Unknown = "zz_not_a_parameter";

    [Fact]
    public async Task EveryOperation_RefusesAParameterItDoesNotHave_AndTakesEveryOneItLists()
    {
        var client = await app.AdminClientAsync();
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var failures = new List<string>();
        var operations = 0;
        foreach (var (path, methods) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var (method, operation) in methods!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations++;
                var url = Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString());
                var declared = operation!["parameters"]?.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query")
                    .Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];

                var refused = await SendAsync(client, method, $"{url}?{Unknown}=1");
                if (await UnknownNamedAsync(refused) is not { } message || !message.StartsWith($"{Unknown} is not a query parameter of this operation", StringComparison.Ordinal))
                {
                    failures.Add($"{method.ToUpperInvariant()} {path}?{Unknown}=1 → {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
                }

                foreach (var name in declared)
                {
                    var taken = await SendAsync(client, method, $"{url}?{name}=x");
                    if (await UnknownNamedAsync(taken) is not null)
                    {
                        failures.Add($"{method.ToUpperInvariant()} {path}?{name}=x, a listed parameter, was refused as unknown");
                    }
                }
            }
        }

        Assert.True(operations >= 50, $"only {operations} operations");
        Assert.True(failures.Count == 0, $"{failures.Count} went wrong:\n" + string.Join('\n', failures.Take(20)));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url));

    /// <summary>The message of the detail refusing a parameter as unknown; null when there is none.</summary>
    private static async Task<string?> UnknownNamedAsync(HttpResponseMessage response)
    {
        if ((int)response.StatusCode != 400)
        {
            return null;
        }

        var details = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["error"]?["details"]?.AsArray() ?? [];
        return details.Select(d => d?["message"]?.GetValue<string>()).FirstOrDefault(m => m?.Contains("is not a query parameter", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task AMisspelledFilter_IsAnsweredWithTheParameterMeant_NotWithEveryEmail()
    {
        var client = await app.AdminClientAsync();

        var error = await (await client.GetAsync("/api/v1/emails?stauts=bounced&limit=5")).ErrorAsync(400, "VALIDATION_ERROR");

        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal("stauts", detail["field"]!.GetValue<string>());
        Assert.Equal("stauts is not a query parameter of this operation: did you mean status?", detail["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/contacts?limit=1&limit=2", "limit", "limit is given 2 times; it takes one value.")]
    [InlineData("/api/v1/emails?status=sent&status=bounced", "status", "status is given 2 times; it takes one value.")]
    public async Task AOneValueParameterGivenTwice_IsRefused_NotBlamedOnItsValue(string url, string field, string message)
    {
        var client = await app.AdminClientAsync();

        var error = await (await client.GetAsync(url)).ErrorAsync(400, "VALIDATION_ERROR");

        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal(field, detail["field"]!.GetValue<string>());
        Assert.Equal(message, detail["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ContactAttributeFilters_AreTaken_ButACapitalisedOneIsRefused()
    {
        var client = await app.AdminClientAsync();
        await (await client.PostJsonAsync("/api/v1/contacts", new { email = "p@example.com", attributes = new { plan = "pro" } })).DataAsync(201);

        var found = await (await client.GetAsync("/api/v1/contacts?attribute[plan]=pro")).DataAsync();
        var error = await (await client.GetAsync("/api/v1/contacts?Attribute[plan]=pro")).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Single(found.AsArray());
        Assert.Contains("attribute[key]", Assert.Single(error["details"]!.AsArray())!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task WithoutAKey_TheAnswerIs401_TheParametersAreNotJudged()
    {
        var response = await app.Client().GetAsync($"/api/v1/emails?{Unknown}=1");

        await response.ErrorAsync(401, "AUTHENTICATION_REQUIRED");
    }
}

public sealed class UnknownQueryParametersSqliteTests(SqliteFactory app) : UnknownQueryParametersTests(app), IClassFixture<SqliteFactory>;
