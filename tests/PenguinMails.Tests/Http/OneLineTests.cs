using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// Names and tags are one line of plain text: a line break, a control character or a bidirectional override in one is
/// refused at that field, on create and on edit, with the character and its position. A key named
/// <c>"prod\u202Eyek-tset"</c> was stored and listed as "prodtest-key", and a line feed in a key's name went into its
/// audit entry as a second line. Right-to-left scripts and emoji joined by U+200D stay as they are.
/// </summary>
public abstract class OneLineTests(PenguinMailsFactory app)
{
    /// <summary>Each kind the rule names: C0 and C1 controls, DEL, separators, embeddings, overrides and isolates.</summary>
    public static TheoryData<string, string> Refused => new()
    {
        { "\n", "a line feed (U+000A)" },
        { "\r", "a carriage return (U+000D)" },
        { "\t", "a tab (U+0009)" },
        { "\u0007", "a control character (U+0007)" },
        { "\u007F", "a control character (U+007F)" },
        { "\u0085", "a control character (U+0085)" },
        { "\u2028", "a line separator (U+2028)" },
        { "\u2029", "a paragraph separator (U+2029)" },
        { "\u202A", "a bidirectional embedding or override (U+202A)" },
        { "\u202E", "a bidirectional embedding or override (U+202E)" },
        { "\u2066", "a bidirectional isolate (U+2066)" },
        { "\u2069", "a bidirectional isolate (U+2069)" },
    };

    /// <summary>(collection, field): every name or tag a body sets, with the PATCH that can change it.</summary>
    private static readonly (string Collection, string Field)[] Labels =
    [
        ("/api/v1/platform/api-keys", "name"),
        ("/api/v1/templates", "name"),
        ("/api/v1/campaigns", "name"),
        ("/api/v1/contacts", "first_name"),
        ("/api/v1/contacts", "last_name"),
        ("/api/v1/contacts", "tags"),
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task EveryNameAndTag_RefusesTheCharacter_OnCreateAndOnEdit_NamingItAndItsPosition(string character, string named)
    {
        var client = await app.EveryPermissionClientAsync();
        var text = "Prod" + character + "key";
        foreach (var (collection, field) in Labels)
        {
            var create = NewResources.Body(collection);
            create[field] = Value(field, text);
            var refused = await (await client.PostAsJsonAsync(collection, create)).ErrorAsync(400, "VALIDATION_ERROR");
            AssertNamed(refused, field, named);

            var item = await NewResources.CreateAsync(client, collection);
            var before = await (await client.GetAsync(item)).DataAsync();
            var edit = new JsonObject { [field] = Value(field, text) };
            var error = await (await client.PatchAsJsonAsync(item, edit)).ErrorAsync(400, "VALIDATION_ERROR");
            AssertNamed(error, field, named);
            Assert.Equal(before.ToJsonString(), (await (await client.GetAsync(item)).DataAsync()).ToJsonString());
        }
    }

    [Theory]
    [InlineData("מפתח ייצור")] // Hebrew: right to left by its letters, no control needed
    [InlineData("مفتاح الإنتاج")]
    [InlineData("Dev \U0001F469\u200D\U0001F4BB team")] // woman technologist: a ZWJ sequence
    [InlineData("کلید\u200Cها")] // Persian: the zero-width non-joiner is part of the spelling
    public async Task RightToLeftScriptsAndJoiners_AreNamesAsTheyAre(string name)
    {
        var client = await app.EveryPermissionClientAsync();
        foreach (var (collection, field) in Labels)
        {
            var body = NewResources.Body(collection);
            body[field] = Value(field, name);
            var answer = await client.PostAsJsonAsync(collection, body);
            Assert.True(answer.IsSuccessStatusCode, $"{collection} {field}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task AnImportRow_WithATabInAName_IsThatRowsError()
    {
        var client = await app.EveryPermissionClientAsync();
        var csv = "email,first_name\nada@example.com,Ada\nbob@example.com,\"Bo\tb\"\n";
        var answer = await client.PostAsync("/api/v1/contacts/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));
        var data = await answer.DataAsync();
        Assert.Equal(1, data["created"]!.GetValue<int>());
        var error = Assert.Single(data["errors"]!.AsArray());
        Assert.Equal(2, error!["row"]!.GetValue<int>());
        Assert.Contains("first_name must be one line of plain text: it holds a tab (U+0009) at character 3.",
            error["errors"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    private static void AssertNamed(JsonNode error, string field, string named)
    {
        var detail = Assert.Single(error["details"]!.AsArray(), d => d!["field"]!.GetValue<string>() == field);
        var message = detail!["message"]!.GetValue<string>();
        Assert.Contains($"must be one line of plain text: it holds {named} at character 5.", message);
    }

    private static JsonNode Value(string field, string text) => field == "tags" ? new JsonArray(text) : JsonValue.Create(text)!;
}

public sealed class OneLineSqliteTests(SqliteFactory app) : OneLineTests(app), IClassFixture<SqliteFactory>;

public sealed class OneLinePostgresTests(PostgresFactory app) : OneLineTests(app), IClassFixture<PostgresFactory>;
