using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Templates;

/// <summary>
/// A template sees the JSON it is given as Handlebars (JavaScript) sees it (README "Templates"): each case is rendered
/// by <c>POST /templates/{slug}/preview</c> (as a text_body) and by handlebars.js itself (npm <c>handlebars</c>,
/// pinned in tools/handlebars-js, installed there by ./test.sh), and the two must write the same text. Handlebars.Net
/// once showed the .NET side of values: <c>{{#each}}</c> over a string wrote <c>Length=3</c>, a list had a
/// <c>Count</c> but no <c>length</c>, and <c>{}</c> was false. Numbers are left out: they are written as sent (<c>1.50</c>), by decision.
/// </summary>
public sealed class HandlebarsParityTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    private static readonly string[] Values =
    [
        "\"abc\"", "\"\"", "\"éa\"", "7", "0", "true", "false", "null", "[]", "[\"x\", \"y\", \"z\"]", "[[1, 2], {\"a\": \"b\"}]",
        "{}", "{\"a\": \"1\", \"b\": {\"c\": \"2\"}}", "{\"length\": 5, \"Count\": 9}",
    ];

    private static readonly string[] Templates =
    [
        "[{{#each v}}{{@key}}={{this}};{{else}}EMPTY{{/each}}]",
        "[{{#each v}}{{@index}}:{{@first}}:{{@last}};{{/each}}]",
        "[{{#each v as |item key|}}{{key}}>{{item}};{{/each}}]",
        "[{{v.length}}|{{v.Length}}|{{v.Count}}|{{v.Scale}}|{{v.Chars}}|{{v.Keys}}|{{v.Capacity}}]",
        "[{{v.[0]}}|{{v.[1]}}|{{v.[01]}}|{{lookup v 0}}|{{lookup v \"length\"}}]",
        "[{{#if v}}T{{else}}F{{/if}}|{{#unless v}}U{{/unless}}]",
        "[{{#with v}}W:{{this}}{{else}}NONE{{/with}}]",
        "[{{v}}]",
    ];

    /// <summary>
    /// The differences README "Templates" lists, each asserted to be there still: Handlebars.Net counts <c>0</c> as
    /// empty in <c>{{#with}}</c>; handlebars.js's <c>lookup</c> answers a falsy value itself. (An empty object <c>{}</c>
    /// was false in <c>{{#if}}</c> and <c>{{#with}}</c> until objects stopped being dictionaries: Templates/JsonObjectModel.)
    /// </summary>
    private static readonly (string Template, string Value)[] Known =
    [
        (Templates[6], "0"),
        (Templates[4], "\"\""),
        (Templates[4], "0"),
        (Templates[4], "false"),
    ];

    [Fact]
    public async Task EveryTemplate_OverEveryKindOfJsonValue_WritesWhatHandlebarsJsWrites()
    {
        var client = await app.EveryPermissionClientAsync();
        var cases = new List<(string Template, string Value)>();
        var ours = new List<string>();
        for (var t = 0; t < Templates.Length; t++)
        {
            var slug = $"parity-{Guid.NewGuid():N}"[..20];
            var created = await client.PostAsJsonAsync("/api/v1/templates", new
            {
                slug, name = "Parity", subject = "s", html_body = "x", text_body = Templates[t],
                variables = new[] { new { name = "v", required = false } },
            });
            Assert.Equal(201, (int)created.StatusCode);
            foreach (var value in Values)
            {
                var preview = await client.PostAsync($"/api/v1/templates/{slug}/preview",
                    new StringContent("{\"variables\": {\"v\": " + value + "}}", System.Text.Encoding.UTF8, "application/json"));
                var data = await preview.DataAsync();
                cases.Add((Templates[t], value));
                ours.Add(data["text"]!.GetValue<string>());
            }
        }

        var theirs = await HandlebarsJsAsync(cases);

        var differences = cases.Select((c, i) => (c, Ours: ours[i], Theirs: theirs[i])).Where(x => x.Ours != x.Theirs).ToList();
        var unknown = differences.Where(x => !Known.Any(k => k.Template == x.c.Template && k.Value == x.c.Value))
            .Select(x => $"{x.c.Template} with v = {x.c.Value}: we wrote {x.Ours}, handlebars.js {x.Theirs}").ToList();
        var gone = Known.Where(k => !differences.Any(x => x.c.Template == k.Template && x.c.Value == k.Value))
            .Select(k => $"{k.Template} with v = {k.Value} is no longer a difference: take it out of Known and the README").ToList();
        Assert.True(unknown.Count + gone.Count == 0, string.Join("\n", unknown.Concat(gone)));
    }

    private static async Task<List<string>> HandlebarsJsAsync(List<(string Template, string Value)> cases)
    {
        var input = new JsonArray([.. cases.Select(c => new JsonObject
        {
            ["template"] = c.Template,
            ["variables"] = new JsonObject { ["v"] = JsonNode.Parse(c.Value) },
        })]);
        var output = await NodeTool.RunAsync("handlebars-js", "handlebars", "render.mjs", input.ToJsonString());
        return JsonSerializer.Deserialize<List<string>>(output)!;
    }
}
