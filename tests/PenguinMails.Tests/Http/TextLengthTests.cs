using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using PenguinMails.ApiKeys;
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
        var tenant = await _app.CreateTenantAsync(Tenancy.Plan.Business);
        var every = typeof(Permissions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var (key, _) = await _app.CreateKeyAsync(tenant, every);
        var client = _app.Client(key);

        var fits = Body(route);
        fits[field] = string.Concat(Enumerable.Repeat(Penguin, max));
        var taken = await client.PostAsJsonAsync(route, fits);
        Assert.True(taken.IsSuccessStatusCode, $"{route} {field} with {max} emoji: {(int)taken.StatusCode} {await taken.Content.ReadAsStringAsync()}");

        var over = Body(route);
        over[field] = string.Concat(Enumerable.Repeat(Penguin, max + 1));
        var error = await (await client.PostAsJsonAsync(route, over)).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains(error["details"]!.AsArray(), d => d!["field"]!.GetValue<string>() == field);
    }

    private static JsonObject Body(string route)
    {
        var unique = Guid.NewGuid().ToString("N");
        return route switch
        {
            "/api/v1/webhooks" => new() { ["url"] = "http://127.0.0.1:9/hook" },
            "/api/v1/platform/api-keys" => new() { ["name"] = "Sync", ["permissions"] = new JsonArray("contacts:read"), ["environment"] = "live" },
            "/api/v1/templates" => new() { ["slug"] = "t" + unique, ["name"] = "T", ["subject"] = "Hi", ["html_body"] = "<p>Hi</p>" },
            "/api/v1/campaigns" => new()
            {
                ["name"] = "C", ["from"] = "news@example.com", ["subject"] = "Hi", ["html_body"] = "<p>Hi</p>",
                ["audience"] = new JsonObject { ["all"] = true },
            },
            "/api/v1/contacts" => new() { ["email"] = $"c{unique}@example.com" },
            "/api/v1/suppressions" => new() { ["email"] = $"s{unique}@example.com", ["reason"] = "manual" },
            "/api/v1/emails/send" => new() { ["from"] = "s@example.com", ["to"] = $"r{unique}@example.com", ["subject"] = "Hi", ["text_body"] = "t" },
            _ => throw new ArgumentOutOfRangeException(nameof(route)),
        };
    }
}

public sealed class TextLengthSqliteTests(SqliteFactory app) : TextLengthTests(app), IClassFixture<SqliteFactory>;

public sealed class TextLengthPostgresTests(PostgresFactory app) : TextLengthTests(app), IClassFixture<PostgresFactory>;
