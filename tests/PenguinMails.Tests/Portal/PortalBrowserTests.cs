using Microsoft.Playwright;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The portal in real headless Chromium against the real executable on loopback, as a new user meets it: sign in with
/// the first start's password, the overview, create a key, sign out — at 1280 and 375 px wide, with a full-page
/// screenshot and an axe-core check of every page and state (see <see cref="PortalBrowser"/>) and no console error.
/// </summary>
public sealed class PortalBrowserTests
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task FirstStart_SignInWithTheBannerPassword_SeeTheOverview_SignOut(int width)
    {
        await using var walk = await PortalBrowser.StartAsync("first-start", width);
        var page = walk.Page;

        await page.GotoAsync("/");
        Assert.Equal("/account/sign-in", new Uri(page.Url).AbsolutePath);
        await walk.VisitAsync("1-sign-in");

        await PortalBrowser.SignInAsync(page, PortalBrowser.AdminEmail, "not the password");
        await Assertions.Expect(page.GetByText("The email address or password is not correct.").First).ToBeVisibleAsync();
        await walk.VisitAsync("2-sign-in-wrong-password");

        await PortalBrowser.SignInAsync(page, PortalBrowser.AdminEmail, walk.AdminPassword);
        await page.WaitForURLAsync("**/dashboard/settings/developers");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Start Building with PenguinMails API" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(PortalBrowser.AdminEmail)).ToBeVisibleAsync();
        await walk.VisitAsync("3-overview");

        await page.GetByRole(AriaRole.Link, new() { Name = "API Keys", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/developers/keys");
        await walk.VisitAsync("4-keys");

        await WalkKeyCreationAsync(walk);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in");
        await walk.ShotAsync("5-signed-out");
        Assert.Empty(walk.ConsoleErrors);
    }

    /// <summary>Creates a key through the four steps, copies it, calls /api/v1/me with it, revokes it.</summary>
    private static async Task WalkKeyCreationAsync(PortalBrowser walk)
    {
        var page = walk.Page;
        // The overview's "Generate API Key" (step 1 of "Start Building") opens the creation flow.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Generate API Key" }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/developers/keys/new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Enter a name for the key.").First).ToBeVisibleAsync();
        await walk.VisitAsync("4a-create-step1-error");
        await page.GetByLabel("Key Name").FillAsync("Browser walk");
        await page.GetByLabel("Test (").CheckAsync();
        await walk.ShotAsync("4b-create-step1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Read Only" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Read Contacts")).ToBeCheckedAsync();
        await walk.VisitAsync("4c-create-step2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.GetByLabel("After 90 days").CheckAsync();
        await walk.VisitAsync("4d-create-step3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await walk.VisitAsync("4e-create-step4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate API Key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API Key Created Successfully" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Copied to the clipboard.")).ToBeVisibleAsync();
        var key = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(await page.GetByLabel("Your API key").InputValueAsync(), key);
        await walk.VisitAsync("4f-created");

        using (var api = new HttpClient { BaseAddress = walk.Server.BaseAddress })
        {
            api.DefaultRequestHeaders.Authorization = new("Bearer", key);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/me")).StatusCode);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "I've Saved My Key" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Browser walk" })).ToBeVisibleAsync();
        await walk.VisitAsync("4g-keys-with-card");
        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke Key Browser walk" }).ClickAsync();
        await walk.VisitAsync("4h-revoke-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke Key" }).ClickAsync();
        await Assertions.Expect(page.GetByText("was revoked")).ToBeVisibleAsync();
        await walk.VisitAsync("4i-revoked");
    }
}
