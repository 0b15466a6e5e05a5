using Microsoft.Playwright;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The ESP pages in real headless Chromium: the developers' webhooks page with the spec's redirect notice and quick
/// links; the ESP settings page's #postmark and #mailgun sections — a wrong token named in the error summary and at its
/// field, credentials saved and shown back only as "Set, ending in …", the transport switched to Postmark, Mailgun's
/// credentials and region saved; a developer sees the settings without forms or webhook URLs — at 1280 and 375 px.
/// </summary>
public sealed class PortalEspBrowserTests
{
    private const string PostmarkToken = "pm-token-0f3a-9c1e-77ab";
    private const string MailgunKey = "key-mailgun-5d1e-c0de";

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Admin_ConfiguresPostmarkAndMailgun_SecretsNeverShownBack_DeveloperSeesNoForms(int width)
    {
        await using var walk = await PortalBrowser.StartAsync("esp", width);
        var page = walk.Page;
        await walk.SignInAsAdminAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/developers/webhooks");
        await Assertions.Expect(page.GetByText("Webhook configuration has moved to")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Configure Mailgun Webhooks →" })).ToBeVisibleAsync();
        await walk.VisitAsync("1-developers-webhooks-notice");

        await page.GetByRole(AriaRole.Link, new() { Name = "Configure Postmark Webhooks →" }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/integrations/esp/webhooks#postmark");
        await Assertions.Expect(page.Locator("[data-transport]")).ToHaveTextAsync("This server's SMTP relay");
        var postmarkUrl = await page.GetByLabel("Postmark webhook URL").InputValueAsync();
        Assert.Matches("^http://[^/]*:[^@/]+@[^/]+/inbound/esp/postmark/[A-Za-z0-9_-]{43}$", postmarkUrl);
        await Assertions.Expect(page.Locator("[data-copy-target=postmark-url]")).ToBeVisibleAsync();
        await walk.VisitAsync("2-esp-settings-new");

        await page.GetByRole(AriaRole.Radio, new() { Name = "Postmark" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save delivery transport" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).GetByText("The Postmark server token is required")).ToBeVisibleAsync();
        await walk.VisitAsync("3-postmark-without-token");

        await page.GetByLabel("Server API token").FillAsync("has a space");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Postmark settings" }).ClickAsync();
        await Assertions.Expect(page.Locator("#postmark-token-error")).ToContainTextAsync("without spaces");
        await walk.VisitAsync("4-postmark-invalid-token");

        await page.GetByLabel("Server API token").FillAsync(PostmarkToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Postmark settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The Postmark settings were saved.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#postmark").GetByText("Set, ending in")).ToContainTextAsync("…77ab");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Postmark" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save delivery transport" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-transport]")).ToHaveTextAsync("Postmark");
        await walk.VisitAsync("5-postmark-saved-and-chosen");

        await page.GetByLabel("API key", new() { Exact = true }).FillAsync(MailgunKey);
        await page.GetByLabel("Domain", new() { Exact = true }).FillAsync("mg.example.com");
        await page.GetByRole(AriaRole.Radio, new() { Name = "EU" }).CheckAsync();
        await page.GetByLabel("Webhook signing key").FillAsync("signing-key-31f9");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Mailgun settings" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The Mailgun settings were saved.")).ToBeVisibleAsync();
        var mailgun = page.Locator("#mailgun");
        await Assertions.Expect(mailgun.GetByText("…c0de")).ToBeVisibleAsync();
        await Assertions.Expect(mailgun.GetByText("…31f9")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Radio, new() { Name = "EU" })).ToBeCheckedAsync();
        var html = await page.ContentAsync();
        Assert.DoesNotContain(PostmarkToken, html);
        Assert.DoesNotContain(MailgunKey, html);
        await walk.VisitAsync("6-mailgun-saved");

        var developer = await DeveloperAsync(walk);
        await developer.GotoAsync("/dashboard/settings/integrations/esp/webhooks");
        await Assertions.Expect(developer.GetByText("Only an admin can change these settings")).ToBeVisibleAsync();
        Assert.Equal(0, await developer.GetByRole(AriaRole.Button).Filter(new() { HasText = "Save" }).CountAsync());
        Assert.DoesNotContain("/inbound/esp/", await developer.ContentAsync());
        await walk.VisitAsync("7-developer-read-only", developer);
        Assert.Empty(walk.ConsoleErrors);
    }

    private static async Task<IPage> DeveloperAsync(PortalBrowser walk)
    {
        var page = walk.Page;
        await page.GotoAsync("/dashboard/settings/team");
        await page.GetByLabel("Email address").FillAsync("dev@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        var password = await page.GetByLabel("Password for dev@example.com").InputValueAsync();
        var developer = await walk.NewPersonAsync();
        await developer.GotoAsync("/account/sign-in");
        await PortalBrowser.SignInAsync(developer, "dev@example.com", password);
        return developer;
    }
}
