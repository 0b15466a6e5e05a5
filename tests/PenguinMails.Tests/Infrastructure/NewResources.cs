using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>
/// The smallest valid create body of each collection the API has (<c>/api/v1/campaigns</c>, …), for tests of rules that
/// every resource shares, and the path of a resource made from it.
/// </summary>
public static class NewResources
{
    /// <summary>A valid body for <c>POST <paramref name="collection"/></c>; unique where the collection needs it (slugs, addresses).</summary>
    public static JsonObject Body(string collection)
    {
        var unique = Guid.NewGuid().ToString("N");
        return collection switch
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
            _ => throw new ArgumentOutOfRangeException(nameof(collection), $"{collection}: add its body here."),
        };
    }

    /// <summary>
    /// Creates one resource of <paramref name="collection"/> from <see cref="Body"/> with <paramref name="fields"/> set
    /// over it; answers its path (<c>/api/v1/templates/{slug}</c>, <c>/api/v1/contacts/{id}</c>).
    /// </summary>
    public static async Task<string> CreateAsync(HttpClient client, string collection, JsonObject? fields = null)
    {
        var body = Body(collection);
        foreach (var (name, value) in fields ?? [])
        {
            body[name] = value?.DeepClone();
        }

        var answer = await (await client.PostAsJsonAsync(collection, body)).DataAsync(201);
        return $"{collection}/{IdOf(answer)}";
    }

    /// <summary>The slug or id of a created resource's answer; a key or an endpoint comes beside its secret.</summary>
    public static string IdOf(JsonNode answer)
    {
        var created = answer["api_key"] ?? answer["webhook"] ?? answer;
        return created["slug"]?.GetValue<string>() ?? created["id"]!.GetValue<string>();
    }
}
