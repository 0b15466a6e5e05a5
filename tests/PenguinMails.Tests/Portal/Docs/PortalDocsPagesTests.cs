using System.Net;
using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal.Docs;

/// <summary>
/// The docs pages' content, read as a signed-in developer: a page for every operation of the served OpenAPI document
/// with its header, permission, rate limit, parameters, body fields, errors, Try It Out and six code tabs; the
/// spec's send example in each language; the Getting Started pages; the changelog; the sidebar in the spec's order.
/// </summary>
public abstract class PortalDocsPagesTests(PenguinMailsFactory app)
{
    private const string Docs = "/dashboard/settings/developers/docs";

    /// <summary>Where the samples point: the server's public base URL (its first URL here, no PublicUrl set).</summary>
    private string BaseUrl => app.Services.GetRequiredService<PenguinMails.Portal.PublicBaseUrl>().Value;

    private async Task<PortalClient> SignedInAsync()
    {
        var (_, email, password) = await PortalSignInTests.MemberAsync(app, UserRole.Developer);
        var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        return browser;
    }

    private static async Task<string> PageAsync(PortalClient browser, string path)
    {
        var (status, html, _) = await browser.GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{path} answered {status}");
        return WebUtility.HtmlDecode(html);
    }

    [Fact]
    public async Task EveryOperationOfTheServedDocument_HasAPage_WithItsParametersBodyAndErrors()
    {
        using var browser = await SignedInAsync();
        using var api = app.CreateClient();
        var document = JsonNode.Parse(await api.GetStringAsync("/openapi/v1.json"))!;
        var count = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var id = operation!["operationId"]!.GetValue<string>();
                var html = await PageAsync(browser, $"{Docs}/endpoints/{id}");
                var what = $"the page of {id}";
                Assert.True(html.Contains($">{method.ToUpperInvariant()}</span> {path}</code>", StringComparison.Ordinal), $"{what} lacks its header");
                foreach (var parameter in operation["parameters"] as JsonArray ?? [])
                {
                    Assert.True(html.Contains($"<code class=\"pm-key\">{parameter!["name"]}</code>", StringComparison.Ordinal), $"{what} lacks parameter {parameter["name"]}");
                }

                var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
                foreach (var (field, _) in schema is null ? [] : document["components"]!["schemas"]![schema.Split('/')[^1]]!["properties"]!.AsObject())
                {
                    Assert.True(html.Contains($"<code class=\"pm-key\">{field}</code>", StringComparison.Ordinal), $"{what} lacks body field {field}");
                }

                foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
                {
                    foreach (var code in response!["description"]!.GetValue<string>().Split(" (see")[0].Split(", "))
                    {
                        Assert.True(html.Contains($"<td data-label=\"Status\">{status} ", StringComparison.Ordinal), $"{what} lacks status {status}");
                        Assert.True(html.Contains($"#{code}\"><code class=\"pm-key\">{code}</code>", StringComparison.Ordinal), $"{what} lacks error {code}");
                    }
                }

                var secured = operation["security"] is JsonArray { Count: > 0 };
                Assert.True(html.Contains(secured ? "Required (Bearer Token)" : "None: no key needed", StringComparison.Ordinal), $"{what}: authentication");
                if (operation["x-required-permission"]?.GetValue<string>() is { } permission and not "any")
                {
                    Assert.True(html.Contains($"<code>{permission}</code>", StringComparison.Ordinal), $"{what} lacks its permission");
                }

                Assert.True(!secured || html.Contains("60 requests/minute, bursts of up to 100 — your Starter plan", StringComparison.Ordinal), $"{what}: rate limit");
                Assert.True(html.Contains("Try It Out", StringComparison.Ordinal), $"{what} lacks Try It Out");
                foreach (var tab in new[] { "cURL", "Node.js", "Python", "PHP", "Ruby", "C#" })
                {
                    Assert.True(html.Contains($"aria-selected=\"{(tab == "cURL" ? "true" : "false")}\" tabindex=\"{(tab == "cURL" ? "0" : "-1")}\">{tab}</button>", StringComparison.Ordinal), $"{what} lacks the {tab} tab");
                }

                Assert.DoesNotContain("pm_live_7", html.Replace("pm_live_7Qx", "", StringComparison.Ordinal), StringComparison.Ordinal);
                count++;
            }
        }

        Assert.True(count >= 69, $"only {count} operations");
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"{Docs}/endpoints/noSuchOperation")).Status);
    }

    [Fact]
    public async Task SendEmail_ShowsTheSpecsExample_AndTheSdkCallOfEachLanguage_WithAPlaceholderKey()
    {
        using var browser = await SignedInAsync();
        var html = await PageAsync(browser, $"{Docs}/endpoints/sendEmail");
        var baseUrl = BaseUrl;

        string[] expected =
        [
            "<code>emails:send</code> (Send Emails)",
            "\"to\": \"user@example.com\",\n  \"subject\": \"Hello\",\n  \"html_body\": \"<h1>Hello World</h1>\"",
            $"curl -X POST \"{baseUrl}/api/v1/emails/send\" \\\n  -H \"Authorization: Bearer pm_test_...\" \\\n  -H \"Content-Type: application/json\"",
            "const penguinmails = require('@penguinmails/sdk');",
            $"new penguinmails.Client('pm_test_...', {{ baseUrl: '{baseUrl}' }});",
            "await client.emails.send({\n    to: 'user@example.com',\n    subject: 'Hello',\n    html_body: '<h1>Hello World</h1>',\n});",
            $"client = penguinmails.Client(\"pm_test_...\", base_url=\"{baseUrl}\")",
            "result = client.emails.send({\n    \"to\": \"user@example.com\",",
            "$client = new PenguinMails\\Client('pm_test_...', ['base_url' => '" + baseUrl + "']);",
            "$result = $client->emails->send([\n    'to' => 'user@example.com',",
            "request = Net::HTTP::Post.new(uri)",
            "request.body = <<~'JSON'",
            "await client.Emails.SendAsync(new SendEmailRequest\n{\n    To = \"user@example.com\",\n    Subject = \"Hello\",\n    HtmlBody = \"<h1>Hello World</h1>\",\n});",
            "<textarea id=\"try-body\"",
            "data-method=\"POST\" data-path=\"/api/v1/emails/send\"",
        ];
        foreach (var text in expected)
        {
            Assert.True(html.Contains(text, StringComparison.Ordinal), $"the sendEmail page lacks {text}");
        }
    }

    [Fact]
    public async Task PagedAndPathOperations_UseTheAutoPagingCall_AndPathParametersFirst()
    {
        using var browser = await SignedInAsync();
        var contacts = await PageAsync(browser, $"{Docs}/endpoints/listContacts");
        var update = await PageAsync(browser, $"{Docs}/endpoints/updateCampaign");

        Assert.Contains("for await (const item of client.contacts.listAll())", contacts);
        Assert.Contains("for item in client.contacts.list_all():", contacts);
        Assert.Contains("foreach ($client->contacts->listAll() as $item)", contacts);
        Assert.Contains("await foreach (var item in client.Contacts.ListAllAsync())", contacts);
        Assert.Contains("client.campaigns.update('01938f4e-7a2b-7c3d-9e4f-5a6b7c8d9e0f', {\n    subject: ", update);
        Assert.Contains("client.Campaigns.UpdateAsync(\"01938f4e-7a2b-7c3d-9e4f-5a6b7c8d9e0f\", new UpdateCampaignRequest\n{", update);
        Assert.Contains($"curl -X PATCH \"{BaseUrl}/api/v1/campaigns/01938f4e-7a2b-7c3d-9e4f-5a6b7c8d9e0f\"", update);
    }

    [Fact]
    public async Task GettingStarted_SdksAndChangelog_AreWrittenForThisServer()
    {
        using var browser = await SignedInAsync();
        var index = await PageAsync(browser, Docs);
        var authentication = await PageAsync(browser, $"{Docs}/authentication");
        var limits = await PageAsync(browser, $"{Docs}/rate-limiting");
        var errors = await PageAsync(browser, $"{Docs}/error-handling");
        var sdks = await PageAsync(browser, $"{Docs}/sdks");
        var changelog = await PageAsync(browser, $"{Docs}/changelog");

        var sidebar = index[index.IndexOf("aria-label=\"API documentation\"", StringComparison.Ordinal)..];
        var order = new[] { "Authentication", "Rate Limiting", "Error Handling", ">Emails <", ">Campaigns <", ">Contacts <", ">Analytics <", ">Webhooks <", "SDKs & Libraries", "Changelog" }
            .Select(t => sidebar.IndexOf(t, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Contains($"{BaseUrl}/api/v1", index);
        Assert.Contains("Authorization: Bearer pm_live_...", authentication);
        Assert.Contains("API_KEY_IN_QUERY_STRING", authentication);
        Assert.Contains("<code>admin:api_keys</code>", authentication);
        Assert.Contains("on the <strong>Starter</strong> plan: <strong>60 requests/minute</strong>", limits);
        Assert.Contains("Starter (your plan)", limits);
        Assert.Contains("<code>X-RateLimit-Window</code>", limits);
        Assert.Contains("<code>\"starter\";q=100;w=100</code>", limits);
        foreach (var code in PenguinMails.Http.ErrorCodes.All)
        {
            Assert.Contains($"<tr id=\"{code.Code}\">", errors);
        }

        Assert.Contains($"npm install {BaseUrl}/sdks/node/penguinmails-sdk-1.0.0.tgz", sdks);
        Assert.Contains($"pip install {BaseUrl}/sdks/python/penguinmails-1.0.0-py3-none-any.whl", sdks);
        Assert.Contains($"composer config repositories.penguinmails composer {BaseUrl}/sdks/php\ncomposer require penguinmails/sdk", sdks);
        Assert.Contains($"dotnet nuget add source {BaseUrl}/sdks/dotnet/index.json --name penguinmails", sdks);
        Assert.Contains("<h2 id=\"unreleased\">[Unreleased]</h2>", changelog);
        Assert.Contains("<h3 id=\"added\">Added</h3>", changelog);
        Assert.Contains("<li>Emails: send, batch, cancel, get and list;", changelog);
    }
}

public sealed class PortalDocsPagesSqliteTests(SqliteFactory app) : PortalDocsPagesTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalDocsPagesPostgresTests(PostgresFactory app) : PortalDocsPagesTests(app), IClassFixture<PostgresFactory>;
