using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Http;

/// <summary>
/// Every documented length limit counts characters — code points, as the OpenAPI document's <c>maxLength</c> and
/// PostgreSQL's <c>varchar(n)</c> do — not UTF-16 units: a field takes as many emoji (two units each) as its limit says,
/// stores them on both databases, and refuses one more with 400 at that field. The webhook description once refused
/// 251 emoji as "at most 500 characters".
/// </summary>
public abstract class TextLengthTests
{
    private const string Penguin = "\U0001F427";
    private readonly PenguinMailsFactory _app;

    protected TextLengthTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.AllowLoopback();
    }

    public static TheoryData<string, string, int> Limits => new()
    {
        { "/api/v1/webhooks", "description", 500 },
        { "/api/v1/platform/api-keys", "name", 100 },
        { "/api/v1/platform/api-keys", "description", 500 },
        { "/api/v1/templates", "name", 200 },
        { "/api/v1/templates", "subject", 998 },
        { "/api/v1/campaigns", "name", 200 },
        { "/api/v1/campaigns", "subject", 998 },
        { "/api/v1/contacts", "first_name", 100 },
        { "/api/v1/suppressions", "note", 500 },
        { "/api/v1/emails/send", "subject", 998 },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public async Task ALimitInCharacters_TakesThatManyEmoji_AndRefusesOneMore(string route, string field, int max)
    {
        var client = await _app.EveryPermissionClientAsync();

        var fits = NewResources.Body(route);
        fits[field] = string.Concat(Enumerable.Repeat(Penguin, max));
        var taken = await client.PostAsJsonAsync(route, fits);
        Assert.True(taken.IsSuccessStatusCode, $"{route} {field} with {max} emoji: {(int)taken.StatusCode} {await taken.Content.ReadAsStringAsync()}");

        var over = NewResources.Body(route);
        over[field] = string.Concat(Enumerable.Repeat(Penguin, max + 1));
        var error = await (await client.PostAsJsonAsync(route, over)).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains(error["details"]!.AsArray(), d => d!["field"]!.GetValue<string>() == field);
    }

    /// <summary>Every text field that must have at least one character, on create and on edit.</summary>
    public static TheoryData<string, string> NonBlank => new()
    {
        { "/api/v1/webhooks", "url" },
        { "/api/v1/platform/api-keys", "name" },
        { "/api/v1/templates", "name" },
        { "/api/v1/templates", "subject" },
        { "/api/v1/templates", "html_body" },
        { "/api/v1/campaigns", "name" },
    };

    /// <summary>
    /// White space only is blank, on an edit as on a create: a template renamed to "   " or given the subject " \t " once
    /// answered 200 and sent mail with an empty subject, while the create refused the same text as missing.
    /// </summary>
    [Theory]
    [MemberData(nameof(NonBlank))]
    public async Task ABlankText_IsRefusedOnCreateAndOnEdit_AndTheResourceKeepsItsValue(string route, string field)
    {
        var client = await _app.EveryPermissionClientAsync();

        foreach (var blank in new[] { " ", " \t\r\n ", "\u00a0\u3000" })
        {
            var create = NewResources.Body(route);
            create[field] = blank;
            var refused = await (await client.PostAsJsonAsync(route, create)).ErrorAsync(400, "MISSING_REQUIRED_FIELD");
            Assert.Single(refused["details"]!.AsArray(), d => d!["field"]?.GetValue<string>() == field);
        }

        var answer = await (await client.PostAsJsonAsync(route, NewResources.Body(route))).DataAsync(201);
        var created = answer["api_key"] ?? answer["webhook"] ?? answer;
        var item = $"{route}/{NewResources.IdOf(answer)}";
        var before = created[field]!.GetValue<string>();
        foreach (var blank in new[] { " ", " \t\r\n ", "\u00a0\u3000" })
        {
            var edit = new JsonObject { [field] = blank };
            var error = await (await client.PatchAsJsonAsync(item, edit)).ErrorAsync(400, "VALIDATION_ERROR");
            var detail = Assert.Single(error["details"]!.AsArray(), d => d!["field"]?.GetValue<string>() == field);
            Assert.Equal($"{field} must not be blank.", detail!["message"]!.GetValue<string>());
        }

        var after = await (await client.GetAsync(item)).DataAsync();
        Assert.Equal(before, after[field]!.GetValue<string>());
    }
}

public sealed class TextLengthSqliteTests(SqliteFactory app) : TextLengthTests(app), IClassFixture<SqliteFactory>;

public sealed class TextLengthPostgresTests(PostgresFactory app) : TextLengthTests(app), IClassFixture<PostgresFactory>;
