using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using PenguinMails.Http;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Http;

/// <summary>
/// In every PATCH the served document lists, each field sent as <c>null</c> either clears the field (where the document
/// marks it <c>x-null-clears</c>) or is refused at that field, leaving the resource as it was. <c>{"subject": null}</c> and
/// <c>{"audience": null}</c> on a campaign once answered 200 and changed nothing. The fields are read from the served
/// document, so a field or a PATCH added later is tried too.
/// </summary>
public abstract class PartialUpdateTests
{
    private readonly PenguinMailsFactory _app;

    protected PartialUpdateTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.AllowLoopback();
    }

    [Fact]
    public async Task EveryFieldOfEveryPatch_SentAsNull_ClearsItWhereTheDocumentSaysSo_AndIsRefusedElsewhere()
    {
        var client = await _app.EveryPermissionClientAsync();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var schemas = document["components"]!["schemas"]!;
        var tried = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (item!["patch"] is not { } patch)
            {
                continue;
            }

            var body = patch["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1];
            foreach (var (field, schema) in schemas[body]!["properties"]!.AsObject())
            {
                var clears = schema!["x-null-clears"]?.GetValue<bool>() == true;
                var itemPath = await CreateAsync(client, path);
                var before = await (await client.GetAsync(itemPath)).DataAsync();
                var answer = await client.PatchAsJsonAsync(itemPath, new JsonObject { [field] = null });
                if (!clears)
                {
                    var error = await answer.ErrorAsync(400, "VALIDATION_ERROR");
                    var detail = Assert.Single(error["details"]!.AsArray());
                    Assert.Equal(field, detail!["field"]!.GetValue<string>());
                    Assert.Equal(PartialUpdates.NullMessage(field), detail["message"]!.GetValue<string>());
                    var after = await (await client.GetAsync(itemPath)).DataAsync();
                    Assert.Equal(before.ToJsonString(), after.ToJsonString());
                    Assert.DoesNotContain("null", Types(schema));
                }
                else if (answer.IsSuccessStatusCode)
                {
                    var after = await answer.DataAsync();
                    Assert.True(IsEmpty(after[field]), $"PATCH {path} {{\"{field}\": null}} left {after[field]?.ToJsonString()}");
                }
                else
                {
                    // Clearing may leave the resource invalid (a campaign with no content at all): refused for that, not for the null.
                    var error = await answer.ErrorAsync(400, "VALIDATION_ERROR");
                    Assert.DoesNotContain("must not be null", error.ToJsonString(), StringComparison.Ordinal);
                }

                tried.Add($"{body}.{field}");
            }
        }

        Assert.Contains("UpdateCampaignRequest.subject", tried);
        Assert.Contains("UpdateCampaignRequest.audience", tried);
        Assert.Contains("UpdateApiKeyRequest.allowed_ips", tried);
        Assert.Contains("UpdateWebhookRequest.headers", tried);
        Assert.Contains("UpdateContactRequest.first_name", tried);
        Assert.Contains("UpdateTemplateRequest.text_body", tried);
    }

    [Fact]
    public async Task ClearingFields_TakeNullAsTheirEmptyValue()
    {
        var client = await _app.EveryPermissionClientAsync();
        var key = await CreateAsync(client, "/api/v1/platform/api-keys/{id}", allowedIps: true);
        var cleared = await (await client.PatchAsJsonAsync(key, new JsonObject { ["allowed_ips"] = null, ["description"] = null })).DataAsync();
        Assert.Empty(cleared["allowed_ips"]!.AsArray());
        Assert.True(IsEmpty(cleared["description"]));

        var campaign = await CreateAsync(client, "/api/v1/campaigns/{id}");
        var inline = await (await client.PatchAsJsonAsync(campaign,
            new JsonObject { ["template_id"] = null, ["html_body"] = "<p>New</p>", ["text_body"] = null })).DataAsync();
        Assert.Equal("<p>New</p>", inline["html_body"]!.GetValue<string>());
        Assert.Null(inline["template_id"]);
        Assert.Null(inline["text_body"]);
    }

    [Fact]
    public void NullClears_IsOnlyOnTheFieldsOfAPartialUpdate()
    {
        var misplaced = typeof(PartialUpdates).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => p.GetCustomAttribute<NullClearsAttribute>() is not null
                && p.DeclaringType!.GetCustomAttribute<PartialUpdateAttribute>() is null)
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");
        Assert.Empty(misplaced);
    }

    private static string Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray many => string.Join(",", many.Select(t => t!.GetValue<string>())),
        JsonValue one => one.GetValue<string>(),
        _ => schema?["oneOf"] is JsonArray choices ? string.Join(",", choices.Select(c => c?["type"]?.GetValue<string>() ?? "ref")) : "",
    };

    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonArray list => list.Count == 0,
        JsonObject map => map.Count == 0,
        JsonValue => false, // an optional text cleared reads null, as one never set does: never "" (OptionalText)
        _ => false,
    };

    /// <summary>A new resource of the PATCH's path (<c>/api/v1/webhooks/{id}</c>), with every optional field the test clears set.</summary>
    private static Task<string> CreateAsync(HttpClient client, string patchPath, bool allowedIps = false)
    {
        var collection = patchPath[..patchPath.LastIndexOf('/')];
        JsonObject optional = collection switch
        {
            "/api/v1/webhooks" => new() { ["description"] = "d", ["headers"] = new JsonObject { ["X-Team"] = "mail" } },
            "/api/v1/platform/api-keys" => new() { ["description"] = "d", ["allowed_ips"] = allowedIps ? new JsonArray("10.0.0.0/8") : new JsonArray() },
            "/api/v1/templates" or "/api/v1/campaigns" => new() { ["text_body"] = "Hi" },
            "/api/v1/contacts" => new() { ["first_name"] = "Ada", ["last_name"] = "Byron" },
            _ => throw new InvalidOperationException($"{patchPath} is a PATCH this test does not know: add its optional fields here."),
        };
        return NewResources.CreateAsync(client, collection, optional);
    }
}

public sealed class PartialUpdateSqliteTests(SqliteFactory app) : PartialUpdateTests(app), IClassFixture<SqliteFactory>;

public sealed class PartialUpdatePostgresTests(PostgresFactory app) : PartialUpdateTests(app), IClassFixture<PostgresFactory>;
