using System.Text;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

public abstract class ConventionsTests(PenguinMailsFactory app)
{
    private const string Keys = "/api/v1/platform/api-keys";

    private async Task<HttpClient> AdminAsync() => app.Client((await app.CreateTenantWithAdminKeyAsync()).Key);

    private static StringContent Body(string text, string type = "application/json") => new(text, Encoding.UTF8, type);

    [Fact]
    public async Task EveryResponse_CarriesXRequestId_EqualToTheEnvelopes()
    {
        var ok = await (await AdminAsync()).GetAsync(Keys);
        var unauthorized = await app.Client().GetAsync(Keys);
        var missing = await app.Client().GetAsync("/nowhere");

        var okId = Assert.Single(ok.Headers.GetValues("X-Request-Id"));
        Assert.Equal(okId, (await ok.BodyAsync())["meta"]!["request_id"]!.GetValue<string>());
        foreach (var response in new[] { unauthorized, missing })
        {
            var id = Assert.Single(response.Headers.GetValues("X-Request-Id"));
            Assert.Equal(id, (await response.BodyAsync())["error"]!["request_id"]!.GetValue<string>());
        }

        Assert.NotEqual(okId, unauthorized.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task LogLinesOfARequest_CarryItsRequestId()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        var tampered = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');
        var response = await app.Client(tampered).GetAsync("/api/v1/me"); // the auth handler logs the failure
        var id = response.Headers.GetValues("X-Request-Id").Single();

        var lines = app.Logs.Lines.Where(l => l.RequestId == id).ToList();
        Assert.Contains(lines, l => l.Category.Contains("ApiKeyAuthenticationHandler", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedJson_IsMalformedJson_WithoutStackTrace()
    {
        var response = await (await AdminAsync()).PostAsync(Keys, Body("{\"name\": \"a\","));
        var error = await response.ErrorAsync(400, "MALFORMED_JSON");
        Assert.DoesNotContain("   at ", error.ToJsonString());
    }

    [Fact]
    public async Task WrongJsonType_IsValidationError_NamingTheField() =>
        Assert.Equal("name", (await (await (await AdminAsync()).PostAsync(Keys, Body("{\"name\": 5, \"preset\": \"read_only\"}")))
            .ErrorAsync(400, "VALIDATION_ERROR"))["details"]![0]!["field"]!.GetValue<string>());

    [Fact]
    public async Task MissingBody_IsMissingRequiredField() =>
        await (await (await AdminAsync()).PostAsync(Keys, Body(""))).ErrorAsync(400, "MISSING_REQUIRED_FIELD");

    [Fact]
    public async Task WrongContentType_IsUnsupportedMediaType() =>
        await (await (await AdminAsync()).PostAsync(Keys, Body("name=a", "text/plain"))).ErrorAsync(415, "UNSUPPORTED_MEDIA_TYPE");

    [Fact]
    public async Task OversizedBody_IsPayloadTooLarge() =>
        await (await (await AdminAsync()).PostAsync(Keys, Body($"{{\"name\": \"{new string('a', 70_000)}\"}}")))
            .ErrorAsync(413, "PAYLOAD_TOO_LARGE");

    [Fact]
    public async Task UnknownRoute_IsRouteNotFound_InTheEnvelope()
    {
        var error = await (await app.Client().GetAsync("/api/v1/teleport")).ErrorAsync(404, "ROUTE_NOT_FOUND");
        Assert.DoesNotContain("   at ", error.ToJsonString());
    }

    /// <summary>Every route that takes a GUID answers an id that cannot be one as any unknown id: the resource is not
    /// found, the path is right. Found from the served OpenAPI document, so a route added later is covered too.</summary>
    [Fact]
    public async Task AnIdThatCannotBeOne_IsResourceNotFound_OnEveryRouteThatTakesAGuid()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        var client = app.Client(key);
        var document = System.Text.Json.Nodes.JsonNode.Parse(await app.Client().GetStringAsync("/openapi/v1.json"))!;
        var checkedRoutes = 0;
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var guids = (operation!["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "path"
                    && p["schema"]?["format"]?.GetValue<string>() == "uuid").Select(p => p!["name"]!.GetValue<string>()).ToList();
                if (guids.Count == 0)
                {
                    continue;
                }

                var malformed = guids.Aggregate(path, (p, name) => p.Replace("{" + name + "}", "not-an-id", StringComparison.Ordinal));
                var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), malformed)
                {
                    Content = method is "post" or "patch" or "put" ? Body("{}") : null,
                };
                var error = await (await client.SendAsync(request)).ErrorAsync(404, "RESOURCE_NOT_FOUND");
                Assert.DoesNotContain("route", error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
                // The same words as for a well-formed id nothing has ("Contact not found."), not a generic sentence.
                var unknown = guids.Aggregate(path, (p, name) => p.Replace("{" + name + "}", Guid.NewGuid().ToString(), StringComparison.Ordinal));
                var wellFormed = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), unknown)
                {
                    Content = method is "post" or "patch" or "put" ? Body("{}") : null,
                });
                if (wellFormed.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    var expected = (await wellFormed.ErrorAsync(404, "RESOURCE_NOT_FOUND"))["message"]!.GetValue<string>();
                    Assert.True(expected == error["message"]!.GetValue<string>(), $"{method.ToUpperInvariant()} {malformed}: {error["message"]} (a well-formed id: {expected})");
                }

                checkedRoutes++;
            }
        }

        Assert.True(checkedRoutes >= 13, $"{checkedRoutes} routes take a GUID"); // contacts' and webhooks' at least
        await (await client.GetAsync("/api/v1/webhooks/not-an-id/nothing-here")).ErrorAsync(404, "ROUTE_NOT_FOUND");
    }

    [Fact]
    public async Task WrongMethod_IsMethodNotAllowed() =>
        await (await (await AdminAsync()).PutAsync(Keys, Body("{}"))).ErrorAsync(405, "METHOD_NOT_ALLOWED");

    [Fact]
    public async Task V1Alias_IsServedAsApiV1()
    {
        var (_, key, id) = await app.CreateTenantWithAdminKeyAsync();
        var data = await (await app.Client(key).GetAsync($"/v1/platform/api-keys/{id}")).DataAsync();
        Assert.Equal(id.ToString(), data["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task DocumentationUrl_ResolvesToAPageWithThatCode()
    {
        var error = await (await app.Client().GetAsync(Keys)).ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        var url = new Uri(new Uri("http://localhost"), error["documentation_url"]!.GetValue<string>());

        var page = await app.Client().GetAsync(url.PathAndQuery);

        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"id=\"{url.Fragment.TrimStart('#')}\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KeyInQueryString_IsRefused_EvenWithAValidHeader()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        await (await app.Client(key).GetAsync($"/api/v1/me?api_key={key}")).ErrorAsync(400, "API_KEY_IN_QUERY_STRING");
        await (await app.Client(key).GetAsync($"/api/v1/me?token={key}")).ErrorAsync(400, "API_KEY_IN_QUERY_STRING");
        await (await app.Client().GetAsync($"/api/v1/me?api_key={key}")).ErrorAsync(400, "API_KEY_IN_QUERY_STRING");
    }

    [Fact]
    public async Task SearchingByKeyIdentifier_IsNotMistakenForAKeyInTheQuery()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();
        var found = await (await app.Client(key).GetAsync($"{Keys}?search={key[..22]}")).DataAsync();
        Assert.Single(found.AsArray());
    }

    [Fact]
    public async Task Health_AndReadiness_Answer()
    {
        Assert.Equal("ok", (await (await app.Client().GetAsync("/healthz")).DataAsync())["status"]!.GetValue<string>());
        var ready = await (await app.Client().GetAsync("/readyz")).DataAsync();
        Assert.Equal("ready", ready["status"]!.GetValue<string>());
        Assert.Equal("ok", ready["checks"]!["database"]!.GetValue<string>());
    }
}

public sealed class ConventionsSqliteTests(SqliteFactory app) : ConventionsTests(app), IClassFixture<SqliteFactory>;

public sealed class ConventionsPostgresTests(PostgresFactory app) : ConventionsTests(app), IClassFixture<PostgresFactory>;
