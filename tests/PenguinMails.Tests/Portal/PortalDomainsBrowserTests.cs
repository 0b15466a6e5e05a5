using Microsoft.Playwright;
using PenguinMails.Tests.Domains;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The Domains page in real headless Chromium, against a real DNS server on loopback: the first start's verified
/// <c>localhost</c>; a refused and an accepted Add; Verify before the records exist (what DNS answered, record by record)
/// and after they are published; a DKIM rotation; a delete; and the overview's banner once the default sender is at an
/// unverified domain — at 1280 and 375 px, every state screenshotted and checked by axe.
/// </summary>
public sealed class PortalDomainsBrowserTests
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Admin_AddsVerifiesRotatesAndDeletesADomain_AndSeesTheUnverifiedSenderBanner(int width)
    {
        using var dns = new DnsServer();
        var environment = dns.Settings().ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value);
        environment["PenguinMails__Domains__SpfInclude"] = "_spf.mail.example.net";
        await using var walk = await PortalBrowser.StartAsync("domains", width, environment);
        var page = walk.Page;
        var name = $"shop-{width}.example.test";
        await walk.SignInAsAdminAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Domains", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/settings/domains");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "localhost" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("✓ Verified")).ToBeVisibleAsync();
        await walk.VisitAsync("1-localhost-verified");

        await page.GetByLabel("Domain name").FillAsync("192.0.2.1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add domain" }).ClickAsync();
        await Assertions.Expect(page.GetByText("name must be a domain name, not an IP address.").First).ToBeVisibleAsync();
        await walk.VisitAsync("2-add-refused");
        await page.GetByLabel("Domain name").FillAsync(name.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Add domain" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"{name} was added.")).ToBeVisibleAsync();
        var card = page.Locator("section.card", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = name }) });
        await Assertions.Expect(card.GetByText("… Pending")).ToBeVisibleAsync();
        await walk.VisitAsync("3-added-pending");

        await card.GetByRole(AriaRole.Button, new() { Name = $"Verify {name}" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"{name} is pending: 2 required records were not found.")).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByText("✕ Missing").First).ToBeVisibleAsync();
        await walk.VisitAsync("4-verify-records-missing");

        foreach (var row in await card.Locator("tbody tr").AllAsync())
        {
            var host = await row.Locator("code[id$='-host']").TextContentAsync();
            var value = await row.Locator("code[id$='-value']").TextContentAsync();
            var type = (await row.Locator("td").First.Locator("strong").TextContentAsync())!;
            dns.Publish(host!.Trim(), type.Trim(), value!.Trim());
        }

        await card.GetByRole(AriaRole.Button, new() { Name = $"Verify {name}" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"{name} is verified: live keys can send from it and its subdomains.")).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByText("✓ Verified")).ToBeVisibleAsync();
        Assert.Equal(3, await card.GetByText("✓ Found").CountAsync());
        await walk.VisitAsync("5-verified-records-found");

        await card.GetByRole(AriaRole.Button, new() { Name = $"Rotate DKIM key of {name}" }).ClickAsync();
        await Assertions.Expect(page.GetByText("A new DKIM key (")).ToBeVisibleAsync();
        await Assertions.Expect(card.GetByText("DKIM (new key)")).ToBeVisibleAsync();
        await walk.VisitAsync("6-rotation-waiting");

        await walk.CliAsync("tenants", "set-default-from", "--tenant", "default", "--from", "Shop <hello@unverified.example.test>");
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByText("Your default sender is not at a verified sending domain")).ToBeVisibleAsync();
        await walk.VisitAsync("7-overview-unverified-sender-banner");

        await page.GotoAsync("/dashboard/settings/domains");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Delete {name}" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"{name} was deleted.")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Heading, new() { Name = name }).CountAsync());
        await walk.VisitAsync("8-deleted");

        Assert.Empty(walk.ConsoleErrors);
    }
}
