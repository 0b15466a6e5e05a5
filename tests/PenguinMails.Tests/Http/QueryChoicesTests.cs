using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// A query parameter that takes a word of a closed set (<c>sort</c>, <c>order</c>, <c>status</c>, <c>range</c>,
/// <c>environment</c>, <c>reason</c>, <c>event_type</c>, <c>type</c>) lists its words as its schema's <c>enum</c> in the
/// OpenAPI document, takes each of them as written there, as body enums are taken, and refuses another case or a near
/// miss naming the word meant — on every operation of the document, so a list added later is held to the same rule.
/// No parameter's schema is left empty.
/// </summary>
public abstract class QueryChoicesTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task EveryClosedSetParameter_TakesItsWordsAsWritten_AndNamesTheWordMeantForAnotherCaseOrANearMiss()
    {
        var client = await app.AdminClientAsync();
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var failures = new List<string>();
        var words = 0;
        foreach (var (path, methods) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var (method, operation) in methods!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete"))
            {
                var url = Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString());
                foreach (var parameter in operation!["parameters"]?.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query") ?? [])
                {
                    var name = parameter!["name"]!.GetValue<string>();
                    var schema = parameter["schema"]!;
                    if (schema["type"] is null && schema["$ref"] is null)
                    {
                        failures.Add($"{method.ToUpperInvariant()} {path}: {name} has an empty schema");
                    }

                    foreach (var word in (schema["enum"] ?? schema["items"]?["enum"])?.AsArray().Select(w => w!.GetValue<string>()) ?? [])
                    {
                        words++;
                        var taken = await SendAsync(client, method, $"{url}?{name}={Uri.EscapeDataString(word)}");
                        if ((int)taken.StatusCode == 400)
                        {
                            failures.Add($"{method.ToUpperInvariant()} {path}?{name}={word} → 400 {await taken.Content.ReadAsStringAsync()}");
                        }

                        foreach (var miss in new[] { word.ToUpperInvariant(), word + word[^1] })
                        {
                            var refused = await SendAsync(client, method, $"{url}?{name}={Uri.EscapeDataString(miss)}");
                            var detail = (int)refused.StatusCode == 400
                                ? JsonNode.Parse(await refused.Content.ReadAsStringAsync())?["error"]?["details"]?.AsArray().FirstOrDefault(d => d?["field"]?.GetValue<string>() == name)
                                : null;
                            if (detail?["message"]?.GetValue<string>().EndsWith($": did you mean {word}?", StringComparison.Ordinal) != true)
                            {
                                failures.Add($"{method.ToUpperInvariant()} {path}?{name}={miss} → {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
                            }
                        }
                    }
                }
            }
        }

        Assert.True(words >= 60, $"only {words} words of closed sets in the document");
        Assert.True(failures.Count == 0, $"{failures.Count} went wrong:\n" + string.Join('\n', failures.Take(20)));
    }

    [Theory]
    [InlineData("/api/v1/campaigns?status=draft,Sent", "status", "status 'Sent' is not one of draft, scheduled, sending, paused, sent, cancelled: did you mean sent?")]
    [InlineData("/api/v1/platform/audit-log?type=api_key.created&type=API_KEY.REVOKED", "type", "did you mean api_key.revoked?")]
    [InlineData("/api/v1/contacts?order=DESC", "order", "order must be asc or desc: did you mean desc?")]
    public async Task AWordOfSeveralOrInAnotherCase_IsRefused_NamingTheWordMeant(string url, string field, string message)
    {
        var client = await app.AdminClientAsync();

        var error = await (await client.GetAsync(url)).ErrorAsync(400, "VALIDATION_ERROR");

        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal(field, detail["field"]!.GetValue<string>());
        Assert.EndsWith(message, detail["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEmptyTextFilter_IsNoFilter_OnEveryList()
    {
        var client = await app.AdminClientAsync();
        await (await client.PostJsonAsync("/api/v1/contacts", new { email = "t@example.com", tags = new[] { "vip" } })).DataAsync(201);

        Assert.Single((await (await client.GetAsync("/api/v1/contacts?tag=")).DataAsync()).AsArray());
        Assert.Single((await (await client.GetAsync("/api/v1/contacts?tag=%20&search=")).DataAsync()).AsArray());
        Assert.Empty((await (await client.GetAsync("/api/v1/contacts?tag=other")).DataAsync()).AsArray());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string url) =>
        client.SendAsync(new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url));
}

public sealed class QueryChoicesSqliteTests(SqliteFactory app) : QueryChoicesTests(app), IClassFixture<SqliteFactory>;
