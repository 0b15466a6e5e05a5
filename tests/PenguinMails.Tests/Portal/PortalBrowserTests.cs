using System.Text.Json;
using Microsoft.Playwright;
using PenguinMails.Tests.Cli;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The portal in real headless Chromium (Debian's, driven by Playwright) against the real executable on loopback, as a
/// new user meets it: sign in with the first start's password, the overview, sign out — at 1280 and 375 px wide, with
/// a full-page screenshot of every page and state (kept in <see cref="ScreenshotDirectory"/>), an axe-core check of each
/// page (no serious or critical violation) and no error in the browser's console (a CSP violation shows there).
/// </summary>
public sealed class PortalBrowserTests
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    /// <summary>PENGUINMAILS_SCREENSHOTS, else tests/PenguinMails.Tests/bin/screenshots.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("PENGUINMAILS_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "screenshots"));

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task FirstStart_SignInWithTheBannerPassword_SeeTheOverview_SignOut(int width)
    {
        using var executable = new PenguinMailsExecutable();
        await using var server = await ServeProcess.StartAsync(executable);
        var password = server.OutputSoFar.Split('\n').Select(l => l.Trim())
            .Single(l => l.StartsWith("password:", StringComparison.Ordinal))["password:".Length..].Trim();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new()
        {
            Permissions = ["clipboard-read", "clipboard-write"],
            BaseURL = server.BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = width, Height = 800 },
        });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };

        await page.GotoAsync("/");
        Assert.Equal("/account/sign-in", new Uri(page.Url).AbsolutePath);
        await ShotAsync(page, width, "1-sign-in");
        await AssertAccessibleAsync(page);

        await SignInAsync(page, "admin@penguinmails.local", "not the password");
        await Assertions.Expect(page.GetByText("The email address or password is not correct.").First).ToBeVisibleAsync();
        await ShotAsync(page, width, "2-sign-in-wrong-password");
        await AssertAccessibleAsync(page);

        await SignInAsync(page, "admin@penguinmails.local", password);
        await page.WaitForURLAsync("**/dashboard/settings/developers");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Start Building with PenguinMails API" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("admin@penguinmails.local")).ToBeVisibleAsync();
        await ShotAsync(page, width, "3-overview");
        await AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "API Keys", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/developers/keys");
        await ShotAsync(page, width, "4-keys");
        await AssertAccessibleAsync(page);

        await WalkKeyCreationAsync(page, width, server.BaseAddress);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in");
        await ShotAsync(page, width, "5-signed-out");
        Assert.Empty(consoleErrors);
    }

    /// <summary>Creates a key through the four steps, copies it, calls /api/v1/me with it, revokes it.</summary>
    private static async Task WalkKeyCreationAsync(IPage page, int width, Uri server)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "+ Create API Key" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Enter a name for the key.").First).ToBeVisibleAsync();
        await ShotAsync(page, width, "4a-create-step1-error");
        await AssertAccessibleAsync(page);
        await page.GetByLabel("Key Name").FillAsync("Browser walk");
        await page.GetByLabel("Test (").CheckAsync();
        await ShotAsync(page, width, "4b-create-step1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Read Only" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Read Contacts")).ToBeCheckedAsync();
        await ShotAsync(page, width, "4c-create-step2");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByLabel("After 90 days").CheckAsync();
        await ShotAsync(page, width, "4d-create-step3");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await ShotAsync(page, width, "4e-create-step4");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate API Key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API Key Created Successfully" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Copied to the clipboard.")).ToBeVisibleAsync();
        var key = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(await page.GetByLabel("Your API key").InputValueAsync(), key);
        await ShotAsync(page, width, "4f-created");
        await AssertAccessibleAsync(page);

        using (var api = new HttpClient { BaseAddress = server })
        {
            api.DefaultRequestHeaders.Authorization = new("Bearer", key);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "I've Saved My Key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Browser walk" })).ToBeVisibleAsync();
        await ShotAsync(page, width, "4g-keys-with-card");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke Key Browser walk" }).ClickAsync();
        await ShotAsync(page, width, "4h-revoke-confirm");
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Key" }).ClickAsync();
        await Assertions.Expect(page.GetByText("was revoked")).ToBeVisibleAsync();
        await ShotAsync(page, width, "4i-revoked");
        await AssertAccessibleAsync(page);
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    private static async Task ShotAsync(IPage page, int width, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, $"portal-{width}px-{name}.png"), FullPage = true });
    }

    /// <summary>
    /// axe-core 4.14.1 (vendored from npm) in the page: no violation of impact serious or critical. The pages' CSP refuses
    /// an injected script tag (as it should), so axe is evaluated through the DevTools protocol, which CSP does not govern.
    /// </summary>
    private static async Task AssertAccessibleAsync(IPage page)
    {
        await page.EvaluateAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Portal", "axe-core", "axe.min.js")));
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run()).violations.filter(v => v.impact === 'serious' || v.impact === 'critical')" +
            ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')");
        var found = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(found.Count == 0, $"{page.Url}: {string.Join("; ", found)}");
    }
}
