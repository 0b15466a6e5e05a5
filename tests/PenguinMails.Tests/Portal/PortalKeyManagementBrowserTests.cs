using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using PenguinMails.ApiKeys;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// Key management in real headless Chromium, as a developer integrating the API meets it: three keys (one through the
/// four steps, two from the CLI), a call that fills "Last Used" in both tables, the expiry warning, search by name and
/// by identifier, the status filter and both sorts surviving a reload, Edit Permissions followed by a 403, rotation
/// with both keys working, and a revocation after the sudo window ran out (the operator set PenguinMails:Portal:SudoMinutes
/// to half a minute and restarted the server) — at 1280 and 375 px, every page and state screenshotted and checked by axe.
/// </summary>
public sealed class PortalKeyManagementBrowserTests
{
    private static readonly Dictionary<string, string> FastUsage = new() { ["PenguinMails__ApiKeys__UsageFlushSeconds"] = "1" };

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task ManageKeys_CreateUseFilterSortEditRotate_ThenRevokeAfterTheSudoWindowRanOut(int width)
    {
        await using var walk = await PortalBrowser.StartAsync("keys", width, FastUsage);
        var page = walk.Page;
        await walk.SignInAsAdminAsync();
        var sinceLastPassword = Stopwatch.StartNew();
        await walk.VisitAsync("01-overview-empty");

        var production = await CreateThroughTheStepsAsync(walk);
        var staging = await CliKeyAsync(walk, "Staging Server", "--preset", "email_sending", "--environment", "test", "--expires-in-days", "5");
        await CliKeyAsync(walk, "Old Integration", "--preset", "read_only");

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(walk, production, "/api/v1/me")).StatusCode);
        await page.GotoAsync("/dashboard/settings/developers/keys");
        await ReloadUntilVisibleAsync(page, Card(page, "Production App").GetByText("just now"));
        await Assertions.Expect(page.GetByText("An API key expires within 7 days")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section.alert-warning").GetByText("Staging Server")).ToBeVisibleAsync();
        await walk.VisitAsync("05-keys-last-used-and-expiry-warning");
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Production App" }).GetByText("just now")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("An API key expires within 7 days")).ToBeVisibleAsync();
        await walk.VisitAsync("06-overview-last-used-and-expiry-warning");
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage All Keys" }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/developers/keys");

        await FilterAsync(page, search: "production");
        Assert.Equal(["Production App"], await CardNamesAsync(page));
        await walk.VisitAsync("07-search-by-name");
        await FilterAsync(page, search: ApiKeyFormat.KeyIdOf(staging));
        Assert.Equal(["Staging Server"], await CardNamesAsync(page));
        await page.ReloadAsync();
        Assert.Equal(["Staging Server"], await CardNamesAsync(page));
        await Assertions.Expect(page.GetByLabel("Search")).ToHaveValueAsync(ApiKeyFormat.KeyIdOf(staging));
        await walk.VisitAsync("08-search-by-identifier");

        await FilterAsync(page, search: "");
        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke Key Old Integration" }).ClickAsync();
        await walk.VisitAsync("09-revoke-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Key" }).ClickAsync();
        await Assertions.Expect(page.GetByText("was revoked")).ToBeVisibleAsync();
        await FilterAsync(page, status: "Revoked");
        await page.ReloadAsync();
        Assert.Equal(["Old Integration"], await CardNamesAsync(page));
        await Assertions.Expect(Card(page, "Old Integration").GetByText("Revoked", new() { Exact = true })).ToBeVisibleAsync();
        await walk.VisitAsync("10-filter-revoked");

        await FilterAsync(page, status: "All", sort: "Name");
        await page.ReloadAsync();
        Assert.Equal(["Old Integration", "Production App", "Staging Server"], await CardNamesAsync(page));
        await Assertions.Expect(page.GetByLabel("Sort")).ToHaveValueAsync("name");
        await walk.VisitAsync("11-sort-by-name");
        await FilterAsync(page, sort: "Last Used");
        await page.ReloadAsync();
        Assert.Equal("Production App", (await CardNamesAsync(page))[0]);
        Assert.Contains("sort=last_used_at", page.Url);
        await walk.VisitAsync("12-sort-by-last-used");

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(walk, production, "/api/v1/contacts")).StatusCode);
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit Permissions of Production App" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Read Contacts")).ToBeCheckedAsync();
        await page.GetByLabel("Read Contacts").UncheckAsync();
        await walk.VisitAsync("13-edit-permissions");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Permissions" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The permissions of “Production App” were saved")).ToBeVisibleAsync();
        await walk.VisitAsync("14-permissions-saved");
        var refused = await CallAsync(walk, production, "/api/v1/contacts");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Insufficient permissions. Update key permissions in settings.", await refused.Content.ReadAsStringAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Rotate Key Production App" }).ClickAsync();
        await walk.VisitAsync("15-rotate-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate Key" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The old key keeps working until")).ToBeVisibleAsync();
        var rotated = await page.GetByLabel("Your API key").InputValueAsync();
        await walk.VisitAsync("16-rotated-new-key-once");
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(walk, production, "/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(walk, rotated, "/api/v1/me")).StatusCode);
        await page.GetByRole(AriaRole.Link, new() { Name = "I've Saved My Key" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Rotated: this old key works until")).ToBeVisibleAsync();
        await walk.VisitAsync("17-keys-after-rotation");

        // The operator shortens sudo mode to half a minute; the last password entry (the sign-in) is older than that.
        var left = TimeSpan.FromSeconds(31) - sinceLastPassword.Elapsed;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        await walk.RestartServerAsync(new Dictionary<string, string>(FastUsage) { ["PenguinMails__Portal__SudoMinutes"] = "0.5" });
        await page.GotoAsync("/dashboard/settings/developers/keys?sort=name");
        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke Key Staging Server" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm your password" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("once every 30 seconds")).ToBeVisibleAsync();
        await walk.VisitAsync("18-sudo-password-prompt");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(walk.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Revoke “Staging Server”?" })).ToBeVisibleAsync();
        await walk.VisitAsync("19-revoke-confirm-after-password");
        var revokeUrl = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Key" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The key “Staging Server” was revoked")).ToBeVisibleAsync();
        await walk.VisitAsync("20-revoked");
        await page.GotoAsync(revokeUrl);
        await Assertions.Expect(page.GetByText("This key has already been revoked and cannot be used.")).ToBeVisibleAsync();
        await walk.VisitAsync("21-already-revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(walk, staging, "/api/v1/me")).StatusCode);
        Assert.Empty(walk.ConsoleErrors);

        await OpenAnotherTenantsKeyAsync(walk);
    }

    /// <summary>
    /// Another tenant's admin reads their key's id from their own page; this admin pastes it into a URL and gets the
    /// 404 page, with nothing of that key on it (Chromium logs the 404 itself as a console error: the only one allowed).
    /// </summary>
    private static async Task OpenAnotherTenantsKeyAsync(PortalBrowser walk)
    {
        var tenant = await walk.CliAsync("tenants", "create", "--name", "Other Company");
        var slug = Assert.Single(tenant.OutLines);
        var admin = await walk.CliAsync("users", "create", "--tenant", slug, "--email", "other@example.com", "--role", "admin");
        Assert.True(admin.Exit == 0, admin.Err);
        await walk.CliAsync("keys", "create", "--tenant", slug, "--name", "Other Company Key", "--preset", "read_only");
        var other = await walk.NewPersonAsync();
        await other.GotoAsync("/account/sign-in");
        await PortalBrowser.SignInAsync(other, "other@example.com", admin.OutLines[^1]);
        await other.GotoAsync("/dashboard/settings/developers/keys");
        var edit = await other.GetByRole(AriaRole.Link, new() { Name = "Edit Permissions of Other Company Key" }).GetAttributeAsync("href");

        var page = walk.Page;
        var answer = await page.GotoAsync(edit!.Replace("/permissions", "", StringComparison.Ordinal));
        Assert.Equal(404, answer!.Status);
        await Assertions.Expect(page.GetByText("Other Company Key")).ToHaveCountAsync(0);
        await walk.VisitAsync("22-another-tenants-key-404");
        answer = await page.GotoAsync(edit);
        Assert.Equal(404, answer!.Status);
        Assert.All(walk.ConsoleErrors, e => Assert.Contains("404", e));
    }

    /// <summary>"Production App" through the four steps (Read Only, 90 days); returns the key from the success page.</summary>
    private static async Task<string> CreateThroughTheStepsAsync(PortalBrowser walk)
    {
        var page = walk.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "API Keys", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "+ Create API Key" }).ClickAsync();
        await page.GetByLabel("Key Name").FillAsync("Production App");
        await walk.VisitAsync("02-create-step1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Read Only" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Read Contacts")).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByLabel("After 90 days").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await walk.VisitAsync("03-create-step4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate API Key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API Key Created Successfully" })).ToBeVisibleAsync();
        await walk.VisitAsync("04-created");
        var key = await page.GetByLabel("Your API key").InputValueAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "I've Saved My Key" }).ClickAsync();
        return key;
    }

    private static async Task<string> CliKeyAsync(PortalBrowser walk, string name, params string[] options)
    {
        var created = await walk.CliAsync(["keys", "create", "--tenant", "default", "--name", name, .. options]);
        Assert.True(created.Exit == 0, created.Err);
        return Assert.Single(created.OutLines);
    }

    private static async Task<HttpResponseMessage> CallAsync(PortalBrowser walk, string key, string path)
    {
        using var api = walk.Server.Client(key);
        var response = await api.GetAsync(path);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Sets the filter bar's fields that are given and submits it, as a person does.</summary>
    private static async Task FilterAsync(IPage page, string? search = null, string? status = null, string? sort = null)
    {
        if (search is not null)
        {
            await page.GetByLabel("Search").FillAsync(search);
        }

        if (status is not null)
        {
            await page.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = status });
        }

        if (sort is not null)
        {
            await page.GetByLabel("Sort").SelectOptionAsync(new SelectOptionValue { Label = sort });
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    private static ILocator Card(IPage page, string name) =>
        page.Locator("article").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true }) });

    private static async Task<List<string>> CardNamesAsync(IPage page) =>
        (await page.Locator("article h2").AllInnerTextsAsync()).Select(n => n.Trim()).ToList();

    /// <summary>Usage is written behind (PenguinMails:ApiKeys:UsageFlushSeconds, 1 here): reloads until it shows, 20 s at most.</summary>
    private static async Task ReloadUntilVisibleAsync(IPage page, ILocator locator)
    {
        var deadline = Stopwatch.StartNew();
        while (await locator.CountAsync() == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"{locator} did not appear on {page.Url}");
            await Task.Delay(500);
            await page.ReloadAsync();
        }
    }
}
