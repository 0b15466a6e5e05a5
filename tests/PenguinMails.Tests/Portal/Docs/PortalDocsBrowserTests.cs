using Microsoft.Playwright;

namespace PenguinMails.Tests.Portal.Docs;

/// <summary>
/// The API docs in real headless Chromium, as a developer integrating the API meets them, at 1280 and 375 px: the
/// sidebar, a Getting Started page, the send-email page, every code tab copied to the clipboard, Try It Out with a
/// short-lived test key created on the spot (answer with status, headers and body), the docs key on the keys page,
/// and the public reference at /docs/api — while every request the browser makes is recorded: none may leave the
/// server's own origin (no font, script or call to another host).
/// </summary>
public sealed class PortalDocsBrowserTests
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Docs_SidebarGuideEndpointCodeTabsAndTryItWithATestKey_NoRequestLeavesTheServer(int width)
    {
        await using var walk = await PortalBrowser.StartAsync("docs", width);
        var page = walk.Page;
        var requests = new List<string>();
        page.Context.Request += (_, request) => requests.Add(request.Url);
        await walk.SignInAsAdminAsync();

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Settings" }).GetByRole(AriaRole.Link, new() { Name = "Docs" }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/developers/docs");
        var sidebar = page.GetByRole(AriaRole.Navigation, new() { Name = "API documentation" });
        foreach (var entry in new[] { "Authentication", "Rate Limiting", "Error Handling", "SDKs & Libraries", "Changelog" })
        {
            await Assertions.Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = entry, Exact = true })).ToBeVisibleAsync();
        }

        foreach (var group in new[] { "Emails", "Campaigns", "Contacts", "Analytics", "Webhooks" })
        {
            await Assertions.Expect(sidebar.Locator("summary", new() { HasText = group }).First).ToBeVisibleAsync();
        }

        await walk.VisitAsync("01-docs-index");

        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Rate Limiting" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rate Limiting", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Starter (your plan)")).ToBeVisibleAsync();
        await walk.VisitAsync("02-rate-limiting");
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Authentication" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authentication", Level = 1 })).ToBeVisibleAsync();
        await walk.VisitAsync("02b-authentication");
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Error Handling" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr#IDEMPOTENCY_KEY_REUSED")).ToContainTextAsync("This Idempotency-Key was already used with a different request.");
        await walk.VisitAsync("02c-error-handling");
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "SDKs & Libraries" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy the Python install command" }).ClickAsync();
        Assert.StartsWith("pip install " + walk.Server.BaseAddress.GetLeftPart(UriPartial.Authority) + "/sdks/python/",
            await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await walk.VisitAsync("02d-sdks");
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Changelog" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "[Unreleased]" })).ToBeVisibleAsync();
        await walk.VisitAsync("02e-changelog");

        await sidebar.Locator("summary", new() { HasText = "Emails" }).ClickAsync();
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "POST Send an email" }).ClickAsync();
        await page.WaitForURLAsync("**/docs/endpoints/sendEmail");
        await Assertions.Expect(page.GetByLabel("Endpoint")).ToHaveTextAsync("POST /api/v1/emails/send");
        await Assertions.Expect(page.GetByText("Required (Bearer Token)")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("60 requests/minute, bursts of up to 100")).ToBeVisibleAsync();
        await walk.VisitAsync("03-send-email");

        foreach (var (tab, expected) in new[]
                 {
                     ("cURL", "curl -X POST"), ("Node.js", "await client.emails.send({"), ("Python", "client.emails.send({"),
                     ("PHP", "$client->emails->send(["), ("Ruby", "Net::HTTP::Post.new(uri)"), ("C#", "await client.Emails.SendAsync(new SendEmailRequest"),
                 })
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }).ClickAsync();
            var panel = page.GetByRole(AriaRole.Tabpanel, new() { Name = tab, Exact = true });
            await panel.GetByRole(AriaRole.Button, new() { Name = $"Copy {tab} example" }).ClickAsync();
            await Assertions.Expect(panel.GetByRole(AriaRole.Status)).ToHaveTextAsync("Copied to the clipboard.");
            var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
            Assert.Equal((await panel.Locator("code").TextContentAsync())!.Trim(), copied);
            Assert.Contains(expected, copied);
            Assert.Contains("pm_test_...", copied);
            if (tab == "C#")
            {
                await walk.VisitAsync("04-code-tab-csharp-copied");
            }
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Create a short-lived test key" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Test key created — shown this once")).ToBeVisibleAsync();
        var key = await page.GetByLabel("API Key", new() { Exact = true }).InputValueAsync();
        Assert.StartsWith("pm_test_", key);
        await walk.VisitAsync("05-test-key-created");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send Request" }).ClickAsync();
        var status = page.Locator("#try-status");
        await Assertions.Expect(status).ToContainTextAsync("200");
        await Assertions.Expect(page.Locator("#try-headers")).ToContainTextAsync("x-ratelimit-limit: 100");
        await Assertions.Expect(page.Locator("#try-headers")).ToContainTextAsync("x-request-id: req_");
        await Assertions.Expect(page.Locator("#try-response-body")).ToContainTextAsync("\"status\": \"queued\"");
        await walk.VisitAsync("06-try-it-answer");

        await sidebar.Locator("summary", new() { HasText = "Contacts" }).ClickAsync();
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "GET List contacts" }).ClickAsync();
        await page.WaitForURLAsync("**/docs/endpoints/listContacts");
        await Assertions.Expect(page.GetByText("string, one of asc, desc")).ToBeVisibleAsync(); // the words of a query parameter
        await Assertions.Expect(page.GetByLabel("API Key", new() { Exact = true })).ToHaveValueAsync(key); // kept in this tab
        await page.GetByRole(AriaRole.Button, new() { Name = "Send Request" }).ClickAsync();
        await Assertions.Expect(status).ToContainTextAsync("200");
        await Assertions.Expect(page.Locator("#try-response-body")).ToContainTextAsync("\"has_more\": false");
        await walk.VisitAsync("07-try-it-list");

        await page.GotoAsync("/dashboard/settings/developers/keys");
        var docsKeys = page.GetByRole(AriaRole.Region, new() { Name = "Docs keys" });
        await Assertions.Expect(docsKeys.GetByText(key[..22])).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("expires within 7 days")).ToHaveCountAsync(0);
        await walk.VisitAsync("08-keys-docs-key");

        // Rendered once the title shows (Scalar fetches the document, then its fonts and scripts as it renders). Not
        // NetworkIdle: on a loaded machine Scalar's page can stay busy past Playwright's 30 s (a CI run failed so).
        await page.GotoAsync("/docs/api", new() { WaitUntil = WaitUntilState.Load });
        await Assertions.Expect(page.GetByText("PenguinMails API").First).ToBeVisibleAsync();
        await walk.ShotAsync("09-public-reference");

        var origin = walk.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var elsewhere = requests.Where(r => !r.StartsWith(origin + "/", StringComparison.Ordinal) && !r.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.True(requests.Count > 20, $"only {requests.Count} requests recorded");
        Assert.True(elsewhere.Count == 0, "requests to other hosts: " + string.Join(", ", elsewhere));
        Assert.Empty(walk.ConsoleErrors);
    }
}
