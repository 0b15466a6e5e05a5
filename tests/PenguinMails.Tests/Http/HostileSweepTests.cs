using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// Every operation of the OpenAPI document, sent hostile bodies and parameters — <c>{}</c>, <c>null</c> for each
/// field, null array elements, wrong types, lone surrogates, NUL characters, 1e309, -1 and huge limits, garbage
/// cursors and ids — answers below 500, in the error envelope with its request id, and names no .NET type.
/// </summary>
public abstract class HostileSweepTests(PenguinMailsFactory app)
{
    // Placeholders replaced in the JSON text: a JSON writer will not write these values itself.
    private const string LoneSurrogate = "@@LONE@@";
    private const string Nul = "@@NUL@@";
    private const string Huge = "@@HUGE@@";

    private static readonly string[] HostileQueryValues =
        ["abc", "-1", "0", "1e309", "99999999999999999999", "%00", "%ED%A0%80", "", "null", "!!!!", "2026-12-01T10:00:00", new('z', 3000)];

    // No %00 in paths: the in-process test server refuses to send one (Kestrel answers 400 before any code of ours).
    private static readonly string[] HostilePathValues =
        ["x", "00000000-0000-0000-0000-000000000000", "%ED%A0%80", "-1", "msg_zzz", "pm_live_x", new('a', 3000), "..%2F..%2Fetc"];

    [Fact]
    public async Task EveryOperation_HostileInput_NeverAnswers5xx_AlwaysTheEnvelope()
    {
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var failures = new List<string>();
        var sent = 0;
        foreach (var (path, method, operation) in Operations(document))
        {
            var (client, ids) = await TenantWithResourcesAsync();
            foreach (var (url, body) in Requests(document, path, operation, ids))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                }

                var response = await client.SendAsync(request);
                sent++;
                if (await ProblemAsync(response) is { } problem)
                {
                    failures.Add($"{method.ToUpperInvariant()} {url} {Shorten(body)} → {problem}");
                }
            }
        }

        Assert.True(sent > 1000, $"only {sent} requests were sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile requests went wrong:\n" + string.Join('\n', failures.Take(40)));
    }

    /// <summary>
    /// A fresh tenant with one of each resource, so that hostile bodies reach the code behind an existing id
    /// (rendering a template, editing a campaign) and not only the 404 of an unknown one. Keyed by path prefix.
    /// </summary>
    private async Task<(HttpClient Client, Dictionary<string, string> Ids)> TenantWithResourcesAsync()
    {
        var tenant = await app.CreateTenantAsync(Tenancy.Plan.Business);
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        var client = app.Client(key);
        async Task<string> IdAsync(string path, string json)
        {
            var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
            var body = await response.BodyAsync();
            return (body["data"]?["id"] ?? body["data"]?["api_key"]?["id"])?.GetValue<string>() ?? throw new InvalidOperationException($"{path}: {body.ToJsonString()}");
        }

        await IdAsync("/api/v1/templates", """{"slug": "x", "name": "X", "subject": "Hi {{k}}", "html_body": "<p>{{k}} {{customer.name}}</p>"}""");
        var contact = await IdAsync("/api/v1/contacts", """{"email": "sweep@example.com", "first_name": "S"}""");
        var campaign = await IdAsync("/api/v1/campaigns", Baselines["createCampaign"]);
        var email = await IdAsync("/api/v1/emails/send", Baselines["sendEmail"]);
        var apiKey = await IdAsync("/api/v1/platform/api-keys", """{"name": "second", "preset": "read_only"}""");
        await client.PostAsync("/api/v1/suppressions", new StringContent("""{"emails": ["sweep@example.com"]}""", Encoding.UTF8, "application/json"));
        return (client, new Dictionary<string, string>
        {
            ["/api/v1/templates/"] = "x", ["/api/v1/contacts/"] = contact, ["/api/v1/campaigns/"] = campaign,
            ["/api/v1/analytics/campaigns/"] = campaign, ["/api/v1/emails/"] = email, ["/api/v1/platform/api-keys/"] = apiKey,
            ["/api/v1/suppressions/"] = "sweep@example.com",
        });
    }

    /// <summary>Valid bodies of the operations that take one, by operationId: each hostile value replaces one field.</summary>
    private static readonly Dictionary<string, string> Baselines = new()
    {
        ["sendEmail"] = """{"from": "a@example.com", "to": ["b@example.com"], "cc": "c@example.com", "reply_to": "r@example.com", "template_id": "x", "variables": {"k": "v", "customer": {"name": "n"}}, "tags": ["t"], "metadata": {"m": "1"}, "headers": {"X-Custom": "1"}, "track_opens": true, "track_clicks": true}""",
        ["sendEmailBatch"] = """{"emails": [{"from": "a@example.com", "to": "b@example.com", "subject": "S", "html_body": "<a href='https://example.com'>x</a>", "tags": ["t"]}]}""",
        ["createTemplate"] = """{"slug": "y", "name": "Y", "subject": "S {{k}}", "html_body": "<p>{{k}}</p>", "text_body": "t", "variables": [{"name": "k", "required": true, "description": "d"}]}""",
        ["updateTemplate"] = """{"name": "X2", "subject": "S {{k}}", "html_body": "<p>{{k}} {{customer.name}}</p>", "variables": [{"name": "k", "required": false}]}""",
        ["previewTemplate"] = """{"variables": {"k": "v", "customer": {"name": "n"}}}""",
        ["createCampaign"] = """{"name": "C", "from": "a@example.com", "subject": "Hi {{first_name}}", "html_body": "<p>{{k}}</p>", "variables": {"k": "v"}, "audience": {"tags": ["t"]}, "track_opens": true, "track_clicks": true}""",
        ["updateCampaign"] = """{"name": "C2", "subject": "S", "html_body": "<p>y</p>", "variables": {"k": "w"}, "audience": {"all": true}}""",
        ["upsertContact"] = """{"email": "c@example.com", "first_name": "F", "last_name": "L", "status": "subscribed", "tags": ["t"], "attributes": {"plan": "pro", "n": 1}}""",
        ["updateContact"] = """{"first_name": "G", "tags": ["u"], "attributes": {"plan": "x"}}""",
        ["createApiKey"] = """{"name": "K", "description": "d", "preset": "read_only", "expires_in_days": 30, "allowed_ips": ["10.0.0.0/8"], "environment": "test"}""",
        ["updateApiKey"] = """{"name": "K2", "description": "d", "permissions": ["contacts:read"], "allowed_ips": ["127.0.0.1"]}""",
        ["addSuppressions"] = """{"emails": ["s@example.com"], "reason": "manual", "note": "n"}""",
    };

    private static async Task<string?> ProblemAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        if (status >= 500)
        {
            return $"{status} {Shorten(text)}";
        }

        if (!response.Headers.Contains("X-Request-Id"))
        {
            return $"{status} without X-Request-Id";
        }

        foreach (var leak in new[] { "System.", "Exception", "Nullable", "Int32", "Failed to bind", " at PenguinMails" })
        {
            if (text.Contains(leak, StringComparison.Ordinal))
            {
                return $"{status} names '{leak}': {Shorten(text)}";
            }
        }

        if (status < 400)
        {
            return null;
        }

        try
        {
            var body = JsonNode.Parse(text);
            return body?["success"]?.GetValue<bool>() == false && body["error"]?["code"] is not null && body["error"]?["request_id"] is not null
                ? null
                : $"{status} not the error envelope: {Shorten(text)}";
        }
        catch (System.Text.Json.JsonException)
        {
            return $"{status} not JSON: {Shorten(text)}";
        }
    }

    private static IEnumerable<(string Path, string Method, JsonNode Operation)> Operations(JsonNode document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()
            .Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(o => (p.Key, o.Key, o.Value!)));

    /// <summary>The hostile requests of one operation: plausible path and query first, then each hostile part.</summary>
    private static IEnumerable<(string Url, string? Body)> Requests(
        JsonNode document, string path, JsonNode operation, Dictionary<string, string> ids)
    {
        var parameters = operation["parameters"]?.AsArray().Select(p => p!).ToList() ?? [];
        var pathNames = parameters.Where(p => p["in"]?.GetValue<string>() == "path").Select(p => p["name"]!.GetValue<string>()).ToList();
        var queryNames = parameters.Where(p => p["in"]?.GetValue<string>() == "query").Select(p => p["name"]!.GetValue<string>()).ToList();
        string Url(string pathValue, string query = "") =>
            pathNames.Aggregate(path, (url, name) => url.Replace("{" + name + "}", pathValue, StringComparison.Ordinal)) + query;

        var plain = Url(ids.Where(i => path.StartsWith(i.Key, StringComparison.Ordinal))
            .OrderByDescending(i => i.Key.Length).Select(i => Uri.EscapeDataString(i.Value)).FirstOrDefault() ?? "x");
        foreach (var value in HostilePathValues.Where(_ => pathNames.Count > 0))
        {
            yield return (Url(value), "{}");
        }

        foreach (var name in queryNames)
        {
            foreach (var value in HostileQueryValues)
            {
                yield return (plain + $"?{name}={value}", null);
            }
        }

        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is not { } schema)
        {
            yield return (plain, null);
            yield break;
        }

        var known = operation["operationId"]?.GetValue<string>() is { } id && Baselines.TryGetValue(id, out var json)
            ? JsonNode.Parse(json)!.AsObject()
            : null;
        foreach (var body in Bodies(document, Resolve(document, schema), known))
        {
            yield return (plain, body);
        }
    }

    private static IEnumerable<string> Bodies(JsonNode document, JsonNode schema, JsonObject? known)
    {
        foreach (var whole in new[] { "{}", "null", "[]", "\"x\"", "1e309", "[null]", "{\"a\":" + new string('[', 200) + new string(']', 200) + "}" })
        {
            yield return whole;
        }

        var properties = schema["properties"]?.AsObject().Select(p => (p.Key, Resolve(document, p.Value!))).ToList() ?? [];
        var baseline = known ?? new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Plausible(p.Key, p.Item2, document))));
        properties.AddRange(baseline.Select(p => p.Key).Where(k => properties.All(p => p.Key != k)).Select(k => (k, (JsonNode)new JsonObject())));
        foreach (var (name, property) in properties)
        {
            foreach (var hostile in Hostile(property, document))
            {
                var body = (JsonObject)baseline.DeepClone();
                body[name] = hostile?.DeepClone();
                yield return Text(body);
            }
        }

        yield return Text(baseline);
    }

    private static IEnumerable<JsonNode?> Hostile(JsonNode schema, JsonNode document)
    {
        yield return null;
        yield return LoneSurrogate;
        yield return "a" + Nul + "b";
        yield return Huge;
        yield return -1;
        yield return new JsonObject { ["x"] = 1 };
        yield return new JsonArray((JsonNode?)null);
        yield return new JsonArray(LoneSurrogate, Nul);
        yield return new string('x', 100_000);
        if (schema["properties"] is { } nested)
        {
            foreach (var (name, inner) in nested.AsObject())
            {
                yield return new JsonObject { [name] = null };
                yield return new JsonObject { [name] = new JsonArray((JsonNode?)null) };
                yield return new JsonObject { [name] = LoneSurrogate };
                yield return new JsonObject { [name] = Huge };
            }
        }

        if (schema["additionalProperties"] is not null)
        {
            yield return new JsonObject { ["k"] = LoneSurrogate };
            yield return new JsonObject { ["k"] = "a" + Nul + "b" };
            yield return new JsonObject { ["k"] = Huge };
            yield return new JsonObject { ["k"] = new JsonObject { ["deep"] = LoneSurrogate } };
            yield return new JsonObject { [LoneSurrogate] = 1 };
            yield return new JsonObject { ["a" + Nul] = "x" };
        }

        if (schema["items"] is { } items && Resolve(document, items)["properties"] is { } itemProperties)
        {
            yield return new JsonArray(new JsonObject(itemProperties.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)null))));
            yield return new JsonArray(new JsonObject(itemProperties.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)LoneSurrogate))));
        }
    }

    private static JsonNode? Plausible(string name, JsonNode schema, JsonNode document)
    {
        var type = TypeOf(schema);
        return type switch
        {
            "integer" or "number" => 1,
            "boolean" => true,
            "array" => new JsonArray(Plausible(name, Resolve(document, schema["items"] ?? new JsonObject()), document)),
            "object" => new JsonObject(),
            _ when name.Contains("email", StringComparison.Ordinal) || name is "from" or "to" or "cc" or "bcc" or "reply_to"
                => "sweep@example.com",
            _ => "x",
        };
    }

    private static string TypeOf(JsonNode schema) =>
        schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "string",
            JsonValue one => one.GetValue<string>(),
            _ => schema["properties"] is not null ? "object" : "string",
        };

    private static JsonNode Resolve(JsonNode document, JsonNode schema)
    {
        for (var i = 0; i < 10 && schema["$ref"]?.GetValue<string>() is { } reference; i++)
        {
            schema = document["components"]!["schemas"]![reference.Split('/')[^1]]!;
        }

        return schema;
    }

    private static string Text(JsonNode body) =>
        body.ToJsonString()
            .Replace($"\"{Huge}\"", "1e309", StringComparison.Ordinal)
            .Replace(LoneSurrogate, "\\ud800", StringComparison.Ordinal)
            .Replace(Nul, "\\u0000", StringComparison.Ordinal);

    private static string Shorten(string? text) => text is null ? "" : text.Length > 300 ? text[..150] + " … " + text[^150..] : text;
}

public sealed class HostileSweepSqliteTests(SqliteFactory app) : HostileSweepTests(app), IClassFixture<SqliteFactory>;

public sealed class HostileSweepPostgresTests(PostgresFactory app) : HostileSweepTests(app), IClassFixture<PostgresFactory>;
