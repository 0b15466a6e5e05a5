using System.Text.RegularExpressions;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// A cursor is taken only as the list that returned it made it: a forged one (<c>e30</c>, base64 of <c>{}</c>) is
/// refused on every list of the OpenAPI document, and one made in another order is refused rather than answered with
/// a page that silently skips rows or is empty.
/// </summary>
public abstract class CursorTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task AForgedCursor_IsRefusedByEveryList()
    {
        var client = await app.AdminClientAsync();
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var failures = new List<string>();
        var lists = 0;
        foreach (var (path, methods) in document["paths"]!.AsObject())
        {
            if (methods!["get"]?["parameters"]?.AsArray().Any(p => p!["name"]!.GetValue<string>() == "cursor") != true)
            {
                continue;
            }

            lists++;
            var url = Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString());
            foreach (var forged in new[] { "e30", "eyJJZCI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMCJ9" })
            {
                var response = await client.GetAsync($"{url}?cursor={forged}");
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode != 400 || !text.Contains("\"field\":\"cursor\"", StringComparison.Ordinal))
                {
                    failures.Add($"GET {url}?cursor={forged} → {(int)response.StatusCode} {text}");
                }
            }
        }

        Assert.True(lists >= 10, $"only {lists} lists take a cursor");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Theory]
    [InlineData("/api/v1/contacts", "sort=email", "sort=email, order=asc")]
    [InlineData("/api/v1/platform/api-keys", "sort=name", "sort=name, order=asc")]
    [InlineData("/api/v1/campaigns", "sort=name&order=desc", "sort=name, order=desc")]
    public async Task ACursorMadeInAnotherOrder_IsRefused_TheSameOrderPagesOn(string list, string order, string said)
    {
        var client = await app.AdminClientAsync();
        foreach (var name in new[] { "b", "a", "c" })
        {
            var body = list switch
            {
                "/api/v1/contacts" => (object)new { email = $"{name}@example.com" },
                "/api/v1/platform/api-keys" => new { name, preset = "read_only" },
                _ => new { name, from = "a@example.com", subject = "S", html_body = "B", audience = new { all = true } },
            };
            Assert.True((await client.PostJsonAsync(list, body)).IsSuccessStatusCode);
        }

        var first = await (await client.GetAsync($"{list}?{order}&limit=1")).BodyAsync();
        var cursor = first["meta"]!["pagination"]!["next_cursor"]!.GetValue<string>();

        var same = await (await client.GetAsync($"{list}?{order}&limit=1&cursor={cursor}")).DataAsync();
        var other = await (await client.GetAsync($"{list}?limit=1&cursor={cursor}")).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Single(same.AsArray());
        var detail = Assert.Single(other["details"]!.AsArray())!;
        Assert.Equal("cursor", detail["field"]!.GetValue<string>());
        Assert.Contains(said, detail["message"]!.GetValue<string>());
    }
}

public sealed class CursorSqliteTests(SqliteFactory app) : CursorTests(app), IClassFixture<SqliteFactory>;
