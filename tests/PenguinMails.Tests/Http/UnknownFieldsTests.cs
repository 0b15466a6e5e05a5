using System.Text;
using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// A body field its operation does not have is refused with <c>400 VALIDATION_ERROR</c> naming it (a batch item's: that
/// item's error), at any depth
/// of any operation of the OpenAPI document — never dropped while the answer says the change was made.
/// </summary>
public abstract class UnknownFieldsTests(PenguinMailsFactory app)
{
    private const string Unknown = "zz_not_a_field";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task EveryObjectOfEveryRequestBody_RefusesAFieldItDoesNotHave_NamingIt()
    {
        var client = await app.AdminClientAsync();
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var failures = new List<string>();
        var sent = 0;
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject().Where(o => o.Key is "post" or "put" or "patch"))
            {
                if (operation!["requestBody"]?["content"]?["application/json"]?["schema"] is not { } schema)
                {
                    continue;
                }

                var url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString());
                foreach (var (body, field) in Placements(document, Resolve(document, schema), "", 0))
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url) { Content = Json(body.ToJsonString()) };
                    var response = await client.SendAsync(request);
                    sent++;
                    var text = await response.Content.ReadAsStringAsync();
                    // A batch judges each item apart: the refusal is that item's error in a 200 (README "Sending email").
                    var details = (int)response.StatusCode == 400 ? JsonNode.Parse(text)?["error"]?["details"]?.AsArray()
                        : JsonNode.Parse(text)?["data"]?["results"]?.AsArray().SelectMany(r => r?["error"]?["details"]?.AsArray() ?? []);
                    var detail = details?.FirstOrDefault(d => d?["field"]?.GetValue<string>() == field);
                    if (detail is null || !detail["message"]!.GetValue<string>().StartsWith($"{field} is not a field of this request", StringComparison.Ordinal)
                        || !text.Contains("\"VALIDATION_ERROR\"", StringComparison.Ordinal))
                    {
                        failures.Add($"{method.ToUpperInvariant()} {path} {body.ToJsonString()} → {(int)response.StatusCode} {text}");
                    }
                }
            }
        }

        Assert.True(sent >= 25, $"only {sent} bodies were sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} unknown fields were not refused:\n" + string.Join('\n', failures.Take(20)));
    }

    /// <summary>
    /// One body per object the schema holds (the body itself, each nested object, each object element of a list),
    /// with the unknown field placed there, and the path the error must name.
    /// </summary>
    private static IEnumerable<(JsonNode Body, string Field)> Placements(JsonNode document, JsonNode schema, string prefix, int depth)
    {
        // additionalProperties false: the document says what the server does; any other value is a free-form map.
        if (schema["properties"] is not JsonObject properties || schema["additionalProperties"] is { } extra && extra.ToJsonString() != "false" || depth > 3)
        {
            yield break;
        }

        yield return (new JsonObject { [Unknown] = 1 }, prefix + Unknown);
        foreach (var (name, property) in properties)
        {
            var inner = Resolve(document, property!);
            foreach (var (body, field) in Placements(document, inner, $"{prefix}{name}.", depth + 1))
            {
                yield return (new JsonObject { [name] = body }, field);
            }

            if (inner["items"] is { } items)
            {
                foreach (var (body, field) in Placements(document, Resolve(document, items), $"{prefix}{name}[0].", depth + 1))
                {
                    yield return (new JsonObject { [name] = new JsonArray(body) }, field);
                }
            }
        }
    }

    /// <summary>
    /// A field the document gives as an enum takes only its names, exactly: an integer (once stored as given, 99 as a
    /// suppression reason) or another spelling is refused with the names listed, on every request body.
    /// </summary>
    [Fact]
    public async Task EveryEnumFieldOfEveryRequestBody_TakesOnlyItsNames_ListingThem()
    {
        var client = await app.AdminClientAsync();
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var failures = new List<string>();
        var fields = 0;
        foreach (var field in TopLevelFields(document))
        {
            if (field.Schema["enum"] is not JsonArray names)
            {
                continue;
            }

            fields++;
            foreach (var wrong in new JsonNode?[] { 99, 0, -1, names[0]!.GetValue<string>().ToUpperInvariant(), "not_a_value" })
            {
                var (status, text) = await field.SendAsync(client, wrong);
                // The list, then a full stop or the closest word ("did you mean hard_bounce?", for HARD_BOUNCE).
                var listed = $"{field.Name} must be one of {string.Join(", ", names.Select(n => n!.GetValue<string>()))}";
                var endings = names.Select(n => $": did you mean {n!.GetValue<string>()}?\"").Prepend(".\"");
                if (status != 400 || !endings.Any(end => text.Contains(listed + end, StringComparison.Ordinal)))
                {
                    failures.Add($"{field} {wrong?.ToJsonString()} → {status} {text}");
                }
            }
        }

        Assert.True(fields >= 1, "no enum field found");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// A value of another JSON type than a field takes is refused saying what it takes (<c>tags must be an array.</c>,
    /// <c>track_opens must be true or false.</c>), on every field of every request body: never only "the wrong type".
    /// </summary>
    [Fact]
    public async Task EveryTypedFieldOfEveryRequestBody_RefusesAnotherType_SayingWhatItTakes()
    {
        var client = await app.AdminClientAsync();
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var failures = new List<string>();
        var fields = 0;
        foreach (var field in TopLevelFields(document))
        {
            var type = field.Schema["type"] switch
            {
                JsonArray types => types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList() is [var one] ? one : null,
                JsonValue single => single.GetValue<string>(),
                _ => null,
            };
            JsonNode? wrong = type switch
            {
                "string" => 5,
                "integer" or "number" => "x",
                "boolean" => "yes",
                "array" or "object" => 5,
                _ => null,
            };
            if (wrong is null || field.Schema["enum"] is not null)
            {
                continue;
            }

            fields++;
            var (status, text) = await field.SendAsync(client, wrong);
            var message = status == 400
                ? JsonNode.Parse(text)?["error"]?["details"]?.AsArray().FirstOrDefault(d => d?["field"]?.GetValue<string>() == field.Name)?["message"]?.GetValue<string>()
                : null;
            if (message is null || !message.StartsWith($"{field.Name} must be", StringComparison.Ordinal))
            {
                failures.Add($"{field} {wrong.ToJsonString()} → {status} {text}");
            }
        }

        Assert.True(fields >= 50, $"only {fields} typed fields found");
        Assert.True(failures.Count == 0, $"{failures.Count} of {fields}:\n" + string.Join('\n', failures.Take(25)));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("42")]
    public async Task ABodyThatIsNotAnObject_IsAnsweredAsSuch_NotAsInvalidJson(string body)
    {
        var client = await app.AdminClientAsync();

        var error = await (await client.PostAsync("/api/v1/contacts", Json(body))).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Contains("must be a JSON object", Assert.Single(error["details"]!.AsArray())!["message"]!.GetValue<string>());
    }

    /// <summary>A schema with its <c>$ref</c> followed, and a nullable <c>oneOf</c>/<c>anyOf</c> reduced to its non-null member.</summary>
    /// <summary>A top-level field of a request body of the document: its operation, name and resolved schema.</summary>
    private sealed record BodyField(string Method, string Path, string Name, JsonNode Schema)
    {
        /// <summary>Sends a body holding only this field, set to <paramref name="value"/>; returns the status and the answer.</summary>
        public async Task<(int Status, string Text)> SendAsync(HttpClient client, JsonNode? value)
        {
            var url = System.Text.RegularExpressions.Regex.Replace(Path, "{[^}]+}", Guid.NewGuid().ToString());
            var body = new JsonObject { [Name] = value?.DeepClone() };
            using var request = new HttpRequestMessage(new HttpMethod(Method.ToUpperInvariant()), url) { Content = Json(body.ToJsonString()) };
            var response = await client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public override string ToString() => $"{Method.ToUpperInvariant()} {Path} {Name}";
    }

    /// <summary>Every top-level field of every JSON request body (POST, PUT, PATCH) the document describes.</summary>
    private static IEnumerable<BodyField> TopLevelFields(JsonNode document)
    {
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject().Where(o => o.Key is "post" or "put" or "patch"))
            {
                if (operation!["requestBody"]?["content"]?["application/json"]?["schema"] is { } schema
                    && Resolve(document, schema)["properties"] is JsonObject properties)
                {
                    foreach (var (name, property) in properties)
                    {
                        yield return new BodyField(method, path, name, Resolve(document, property!));
                    }
                }
            }
        }
    }

    private static JsonNode Resolve(JsonNode document, JsonNode schema)
    {
        for (var i = 0; i < 10; i++)
        {
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                schema = document["components"]!["schemas"]![reference.Split('/')[^1]]!;
            }
            else if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray members
                && members.Where(m => m?["type"]?.ToString() != "null").ToList() is [{ } single])
            {
                schema = single;
            }
            else
            {
                break;
            }
        }

        return schema;
    }

    [Fact]
    public async Task AKeyUpdateWithAFieldItDoesNotHave_IsRefused_ListingItsFields_AndChangesNothing()
    {
        var client = await app.AdminClientAsync();
        var created = await (await client.PostAsync("/api/v1/platform/api-keys", Json("""{"name": "ci", "preset": "read_only"}"""))).BodyAsync();
        var id = created["data"]!["api_key"]!["id"]!.GetValue<string>();

        var response = await client.PatchAsync($"/api/v1/platform/api-keys/{id}",
            Json("""{"name": "renamed", "expires_at": "2030-01-01T00:00:00Z"}"""));

        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal("expires_at", detail["field"]!.GetValue<string>());
        var message = detail["message"]!.GetValue<string>();
        Assert.StartsWith("expires_at is not a field of this request. Its fields are: ", message);
        Assert.Contains("name", message);
        Assert.DoesNotContain("PenguinMails", message);
        var after = await (await client.GetAsync($"/api/v1/platform/api-keys/{id}")).BodyAsync();
        Assert.Equal("ci", after["data"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"form": "a@example.com"}""", "form", "form is not a field of this request: did you mean from?")]
    [InlineData("""{"html_bdy": "<p>x</p>"}""", "html_bdy", "html_bdy is not a field of this request: did you mean html_body?")]
    [InlineData("""{"fr\u0000om": "a@example.com"}""", "fr\0om", "fr\\u0000om is not a field of this request: did you mean from?")]
    [InlineData("""{"attachments": [{"filename": "a.txt", "contnet": "eA=="}]}""", "attachments[0].contnet",
        "attachments[0].contnet is not a field of this request: did you mean attachments[0].content?")]
    public async Task ACloseMisspelling_IsAnsweredWithTheFieldMeant(string body, string field, string message)
    {
        var client = await app.AdminClientAsync();

        var response = await client.PostAsync("/api/v1/emails/send", Json(body));

        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal(field, detail["field"]!.GetValue<string>());
        Assert.Equal(message, detail["message"]!.GetValue<string>());
    }

    /// <summary>A field given twice — spelled alike or differing in case, at any depth, in a free-form object too — is
    /// refused naming it: RFC 8259 leaves the meaning of such an object open, and the last one used to win.</summary>
    [Theory]
    [InlineData("""{"email": "a@example.com", "email": "b@example.com"}""", "email")]
    [InlineData("""{"email": "a@example.com", "Email": "b@example.com"}""", "Email")]
    [InlineData("""{"email": "a@example.com", "attributes": {"plan": "pro", "plan": "free"}}""", "attributes.plan")]
    public async Task AFieldGivenTwice_IsRefusedNamingIt(string body, string field)
    {
        var client = await app.AdminClientAsync();

        var response = await client.PostAsync("/api/v1/contacts", Json(body));

        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal(field, detail["field"]!.GetValue<string>());
        Assert.Equal($"{field} is given twice; send each field once.", detail["message"]!.GetValue<string>());
        Assert.Empty((await (await client.GetAsync("/api/v1/contacts")).DataAsync()).AsArray());
    }

    [Fact]
    public async Task ACampaignAudienceWithAMisspelledField_IsRefused_NotSentToEveryone()
    {
        var client = await app.AdminClientAsync();

        var response = await client.PostAsync("/api/v1/campaigns", Json(
            """{"name": "C", "from": "a@example.com", "subject": "S", "html_body": "<p>x</p>", "audience": {"tagz": ["vip"]}}"""));

        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal("audience.tagz", detail["field"]!.GetValue<string>());
        Assert.Equal("audience.tagz is not a field of this request: did you mean audience.tags?", detail["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnImportRowWithAFieldContactsDoNotHave_OrOneGivenTwice_IsThatRowsError_TheOthersAreImported()
    {
        var client = await app.AdminClientAsync();
        var rows = """
            [{"email": "one@example.com", "first_name": "One"}, {"email": "two@example.com", "firstname": "Two"},
             {"email": "three@example.com", "first_name": "A", "first_name": "B"}]
            """;

        var report = await (await client.PostAsync("/api/v1/contacts/import", Json(rows))).DataAsync();

        Assert.Equal(1, report["created"]!.GetValue<int>());
        var errors = report["errors"]!.AsArray();
        Assert.Equal([2, 3], errors.Select(e => e!["row"]!.GetValue<int>()));
        Assert.Contains("firstname is not a field of this request: did you mean first_name?", errors[0]!.ToJsonString());
        Assert.Contains("first_name is given twice", errors[1]!.ToJsonString());
        var list = await (await client.GetAsync("/api/v1/contacts?limit=10")).DataAsync();
        var emails = list.AsArray().Select(c => c!["email"]!.GetValue<string>()).ToList();
        Assert.Equal(["one@example.com"], emails);
    }
}

public sealed class UnknownFieldsSqliteTests(SqliteFactory app) : UnknownFieldsTests(app), IClassFixture<SqliteFactory>;
