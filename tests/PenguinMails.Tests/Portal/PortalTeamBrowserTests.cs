using Microsoft.Playwright;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The team page in real headless Chromium (see <see cref="PortalBrowser"/>): the first admin adds a developer and sees
/// the password once; the developer signs in in a browser of their own and sees the team without controls, then locks
/// themselves out with five wrong passwords; the admin unlocks them and they sign in — at 1280 and 375 px wide.
/// </summary>
public sealed class PortalTeamBrowserTests
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Admin_AddsADeveloper_WhoSeesTheTeamReadOnly_LocksThemselvesOut_AndIsUnlocked(int width)
    {
        await using var walk = await PortalBrowser.StartAsync("team", width);
        var page = walk.Page;
        const string email = "dev@example.com";
        await walk.SignInAsAdminAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/team");
        await walk.VisitAsync("1-team");

        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Member added" })).ToBeVisibleAsync();
        var password = await page.GetByLabel($"Password for {email}").InputValueAsync();
        Assert.Equal(20, password.Length);
        await walk.VisitAsync("2-password-shown-once");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This password is no longer shown" })).ToBeVisibleAsync();
        Assert.DoesNotContain(password, await page.ContentAsync());
        await walk.VisitAsync("3-password-gone");
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to Team" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Remove {email}" })).ToBeVisibleAsync();
        await walk.VisitAsync("4-team-with-developer");

        var developer = await walk.NewPersonAsync();
        await developer.GotoAsync("/account/sign-in");
        await PortalBrowser.SignInAsync(developer, email, password);
        await developer.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true }).ClickAsync();
        await Assertions.Expect(developer.GetByText("Only an admin can change the team.")).ToBeVisibleAsync();
        Assert.Equal(0, await developer.GetByRole(AriaRole.Button, new() { Name = "Add member" }).CountAsync());
        Assert.Equal(0, await developer.GetByRole(AriaRole.Link, new() { Name = "Remove" }).CountAsync());
        await walk.VisitAsync("5-developer-sees-team", developer);

        await developer.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await developer.WaitForURLAsync("**/account/sign-in");
        for (var i = 0; i < 5; i++)
        {
            await PortalBrowser.SignInAsync(developer, email, $"wrong password {i}");
        }

        await Assertions.Expect(developer.GetByText("This account is locked after 5 wrong passwords in a row").First).ToBeVisibleAsync();
        await walk.VisitAsync("6-developer-locked-out", developer);

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByText("Locked", new() { Exact = true })).ToBeVisibleAsync();
        await walk.VisitAsync("7-team-developer-locked");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Unlock {email}" }).ClickAsync();
        if (page.Url.Contains("/account/confirm-password", StringComparison.Ordinal))
        {
            await walk.VisitAsync("8a-sudo-prompt");
            await page.GetByLabel("Password").FillAsync(walk.AdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm password" }).ClickAsync();
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unlock member" })).ToBeVisibleAsync();
        await walk.VisitAsync("8-unlock-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"{email} is unlocked and can sign in again.")).ToBeVisibleAsync();
        await walk.VisitAsync("9-unlocked");

        await PortalBrowser.SignInAsync(developer, email, password);
        await developer.WaitForURLAsync("**/dashboard/settings/developers");
        await Assertions.Expect(developer.GetByText(email).First).ToBeVisibleAsync();
        await walk.VisitAsync("10-developer-signed-in", developer);
        Assert.Empty(walk.ConsoleErrors);
    }
}
