using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// Account security in real Chromium against the real executable, at 1280 and 375 px: "Forgot password?" from the
/// sign-in page, the link read from the .eml the server wrote to its pickup directory, a new password, sign-in; then
/// two-factor set up from the QR page's key, the recovery codes, sign-out and sign-in with a code from the app.
/// </summary>
public sealed partial class PortalAccountBrowserTests
{
    private const string NewPassword = "penguins-march-in-winter";

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task ForgotPassword_ThenTwoFactor_SignInWithACode(int width)
    {
        var outbox = Directory.CreateTempSubdirectory("penguinmails-outbox-").FullName;
        await using var walk = await PortalBrowser.StartAsync("account", width,
            new Dictionary<string, string> { ["PenguinMails__Delivery__PickupDirectory"] = outbox });
        var page = walk.Page;

        await page.GotoAsync("/account/sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" }).ClickAsync();
        await page.WaitForURLAsync("**/account/forgot-password");
        await walk.VisitAsync("1-forgot-password");
        await page.GetByLabel("Email address").FillAsync(PortalBrowser.AdminEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reset link" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Check your inbox.")).ToBeVisibleAsync();
        await walk.VisitAsync("2-forgot-password-sent");

        var link = await ResetLinkAsync(outbox);
        await page.GotoAsync(link);
        await walk.VisitAsync("3-reset-password");
        await page.GetByLabel("New password (at least 12 characters)").FillAsync(NewPassword);
        await page.GetByLabel("New password again").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in?reset=done");
        await Assertions.Expect(page.GetByText("Your password was reset.")).ToBeVisibleAsync();
        await walk.VisitAsync("4-sign-in-after-reset");
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link no longer works" })).ToBeVisibleAsync();
        await walk.VisitAsync("4b-reset-link-used");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to sign-in" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in");
        await PortalBrowser.SignInAsync(page, PortalBrowser.AdminEmail, NewPassword);
        await page.WaitForURLAsync("**/dashboard/settings/developers");

        await page.GetByRole(AriaRole.Link, new() { Name = "Account security" }).ClickAsync();
        await page.WaitForURLAsync("**/account/security");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code that adds PenguinMails to an authenticator app" })).ToBeVisibleAsync();
        await walk.VisitAsync("5-two-factor-set-up");
        var key = (await page.Locator("#shared-key").InnerTextAsync()).Replace(" ", "").ToUpperInvariant();
        await page.GetByLabel("Enter the 6-digit code the app now shows").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Save your recovery codes" })).ToBeVisibleAsync();
        Assert.Equal(10, await page.GetByRole(AriaRole.List, new() { Name = "Recovery codes" }).GetByRole(AriaRole.Listitem).CountAsync());
        await walk.VisitAsync("6-recovery-codes");
        await page.GetByRole(AriaRole.Link, new() { Name = "I've saved my recovery codes" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Recovery codes left: 10 of 10.")).ToBeVisibleAsync();
        await walk.VisitAsync("7-two-factor-on");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/sign-in");
        await PortalBrowser.SignInAsync(page, PortalBrowser.AdminEmail, NewPassword);
        await page.WaitForURLAsync("**/account/sign-in/two-factor**");
        await walk.VisitAsync("8-two-factor-code");
        await page.GetByLabel("Authentication code").FillAsync(Totp.Wrong(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByText("That code is not correct.").First).ToBeVisibleAsync();
        await walk.VisitAsync("9-two-factor-wrong-code");
        // Each code works once (RFC 6238 §5.2): the set-up used this step's, so the app's next one (accepted a step ahead).
        await page.GetByLabel("Authentication code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/developers");
        await Assertions.Expect(page.GetByText(PortalBrowser.AdminEmail)).ToBeVisibleAsync();
        Assert.Empty(walk.ConsoleErrors);
    }

    /// <summary>The path and query of the reset link in the first .eml the server writes to <paramref name="outbox"/>.</summary>
    private static async Task<string> ResetLinkAsync(string outbox)
    {
        await PenguinMailsFactory.Eventually(() => Task.FromResult(Directory.GetFiles(outbox, "*.eml").Length > 0), "the reset mail is written", 20_000);
        var mail = await MimeMessage.LoadAsync(Directory.GetFiles(outbox, "*.eml").Single());
        Assert.Equal("Reset your PenguinMails password", mail.Subject);
        return new Uri(ResetLink().Match(mail.TextBody ?? "").Value).PathAndQuery;
    }

    [GeneratedRegex(@"https?://[^\s/]+/account/reset-password\?id=[0-9a-f-]+&token=[A-Za-z0-9_-]+")]
    private static partial Regex ResetLink();
}
