using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PenguinMails.Campaigns;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;
using Xunit.Abstractions;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The activity pages in headless Chromium (issue 14): the email log and the suppression list with no data, then with
/// 10,000 messages over 30 days (written set-based straight into the server's SQLite database by <see cref="ActivitySeed"/>),
/// a filter through the form, the next page, a message with every kind of recipient outcome and a scheduled message with nothing yet,
/// pasting addresses, and removing a hard bounce (refused until the box is ticked).
/// </summary>
public sealed class PortalActivityBrowserTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task ActivityPages_EmptyThenTenThousandMessages_Filter_Page_Message_Suppressions(int width)
    {
        await using var walk = await PortalBrowser.StartAsync("activity", width);
        var page = walk.Page;
        await walk.SignInAsAdminAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Emails", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/emails");
        await Assertions.Expect(page.GetByText("No emails yet.")).ToBeVisibleAsync();
        await walk.VisitAsync("1-emails-empty");
        await page.GetByRole(AriaRole.Link, new() { Name = "Suppressions", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/suppressions");
        await Assertions.Expect(page.GetByText("No suppressed addresses.")).ToBeVisibleAsync();
        await walk.VisitAsync("2-suppressions-empty");

        var clock = Stopwatch.StartNew();
        var (rich, queued) = await SeedAsync(walk.DataDirectory);
        output.WriteLine($"seeded 10,000 messages in {clock.ElapsedMilliseconds} ms");

        clock.Restart();
        await page.GotoAsync("/dashboard/emails");
        output.WriteLine($"email log, first page of 10,000: {clock.ElapsedMilliseconds} ms");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);
        await walk.VisitAsync("3-emails-10k");

        await page.GetByLabel("Status").SelectOptionAsync("bounced");
        await page.GetByLabel("Environment").SelectOptionAsync("live");
        await page.GetByLabel("Campaign").SelectOptionAsync(new SelectOptionValue { Label = "November newsletter" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter emails" }).ClickAsync();
        await page.WaitForURLAsync("**status=bounced**");
        Assert.Contains("environment=live", page.Url);
        Assert.Contains("campaign_id=cmp_", page.Url);
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("Bounced");
        await walk.VisitAsync("4-emails-filtered");

        await page.GetByRole(AriaRole.Link, new() { Name = "Clear filters" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Older emails" }).ClickAsync();
        await page.WaitForURLAsync("**cursor=**");
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);
        await walk.VisitAsync("5-emails-older");

        await page.GotoAsync("/dashboard/emails?recipient=bob%40y.com");
        await page.GetByRole(AriaRole.Link, new() { Name = "Your invoice #4711" }).ClickAsync();
        await page.WaitForURLAsync("**/dashboard/emails/" + EmailIds.Format(rich));
        await Assertions.Expect(page.GetByText("Not sent: jane@x.com is on your suppression list since")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("in a bounce report received 2 h after sending")).ToBeVisibleAsync();
        await walk.VisitAsync("6-message");
        await page.GotoAsync("/dashboard/emails/" + EmailIds.Format(queued));
        await Assertions.Expect(page.GetByText("No delivery attempt yet.")).ToBeVisibleAsync();
        await walk.VisitAsync("7-message-queued");

        await page.GetByRole(AriaRole.Link, new() { Name = "Suppressions", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(50);
        await walk.VisitAsync("8-suppressions");
        await page.GetByText("Add addresses", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("Addresses", new() { Exact = true }).FillAsync("new1@example.com, new2@example.com\nnot an address\njane@x.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to suppression list" }).ClickAsync();
        await Assertions.Expect(page.GetByText("2 addresses were added to the suppression list. 1 was already there")).ToBeVisibleAsync();
        await walk.VisitAsync("9-suppressions-added");

        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("jane@x.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Remove jane@x.com" }).ClickAsync();
        await Assertions.Expect(page.GetByText("because a message to it hard-bounced")).ToBeVisibleAsync();
        await walk.VisitAsync("10-remove-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove from suppression list" }).ClickAsync();
        await Assertions.Expect(page.GetByText("There is a problem")).ToBeVisibleAsync();
        await walk.VisitAsync("11-remove-refused");
        await page.GetByLabel("I understand, remove this hard bounce suppression").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove from suppression list" }).ClickAsync();
        await Assertions.Expect(page.GetByText("jane@x.com was removed from the suppression list")).ToBeVisibleAsync();
        await walk.VisitAsync("12-removed");

        Assert.Empty(walk.ConsoleErrors);
    }

    /// <summary>10,000 messages of the default tenant, two campaigns, a message with every outcome, one still queued, 80 suppressions.</summary>
    private static async Task<(Guid Rich, Guid Queued)> SeedAsync(string dataDirectory)
    {
        var tenant = new TenantContext();
        var options = new DbContextOptionsBuilder<SqliteAppDb>().UseSqlite($"Data Source={Path.Combine(dataDirectory, "penguinmails.db")}").Options;
        await using var db = new SqliteAppDb(options, tenant);
        var tenantId = await db.Tenants.Where(t => t.Slug == "default").Select(t => t.Id).SingleAsync();
        tenant.Enter(tenantId);
        var now = DateTime.UtcNow;
        var campaigns = new[] { "November newsletter", "Black Friday" }.Select((name, i) => new Campaign
        {
            TenantId = tenantId, Name = name, From = "news@example.com", Subject = name, Status = CampaignStatus.Sent, CreatedAt = now.AddDays(-20 + i), UpdatedAt = now,
        }).ToList();
        db.Campaigns.AddRange(campaigns);
        var suppressions = Enumerable.Range(0, 80).Select(i => new Suppression
        {
            TenantId = tenantId, Email = $"gone{i:D3}@example.org", Reason = (SuppressionReason)(i % 4), Source = i % 4 == 3 ? "api" : "system",
            Note = i % 4 == 3 ? "Asked us by phone to stop" : null, CreatedAt = now.AddHours(-i - 1),
        }).ToList();
        suppressions.Add(new Suppression { TenantId = tenantId, Email = "jane@x.com", Reason = SuppressionReason.HardBounce, Source = "system", CreatedAt = now.AddDays(-27) });
        db.Suppressions.AddRange(suppressions);
        await db.SaveChangesAsync();

        var messages = ActivitySeed.Many(tenantId, now, 9_998, [.. campaigns.Select(c => c.Id)]);
        var sent = now.AddHours(-3);
        var earlier = messages.First(m => m.Status == EmailStatus.Bounced);
        var rich = ActivitySeed.Message(tenantId, sent, "Bob <bob@y.com>", EmailStatus.Sent, "Your invoice #4711", ["billing", "invoices"]);
        rich.Recipients[0] = new EmailRecipient { TenantId = tenantId, MessageId = rich.Id, Kind = RecipientKind.To, Address = "Bob <bob@y.com>", Email = "bob@y.com", Status = RecipientStatus.Sent };
        rich.Recipients.AddRange(
        [
            new EmailRecipient { TenantId = tenantId, MessageId = rich.Id, Kind = RecipientKind.Cc, Address = "jane@x.com", Email = "jane@x.com", Status = RecipientStatus.Suppressed, Detail = "on the suppression list: not sent" },
            new EmailRecipient { TenantId = tenantId, MessageId = rich.Id, Kind = RecipientKind.Cc, Address = "gone@z.com", Email = "gone@z.com", Status = RecipientStatus.Bounced },
            new EmailRecipient { TenantId = tenantId, MessageId = rich.Id, Kind = RecipientKind.Bcc, Address = "ops@w.com", Email = "ops@w.com", Status = RecipientStatus.Failed, Detail = "554 5.7.1 Message rejected as spam" },
        ]);
        var queued = ActivitySeed.Message(tenantId, now.AddMinutes(-1), "later@example.com", EmailStatus.Queued, "Scheduled reminder", scheduled: now.AddDays(2));
        messages.AddRange([rich, queued]);
        var events = new List<EmailEvent>
        {
            new() { TenantId = tenantId, MessageId = earlier.Id, Type = EmailEventType.Bounced, At = now.AddDays(-27).AddSeconds(-1), Recipient = "jane@x.com", Detail = "550 5.1.1 <jane@x.com>: Recipient address rejected: User unknown in virtual mailbox table" },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Queued, At = sent },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Suppressed, At = sent.AddSeconds(1), Recipient = "jane@x.com", Detail = "on the suppression list: not sent" },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Sent, At = sent.AddSeconds(2), Recipient = "bob@y.com", Detail = "250 2.0.0 Ok: queued as 4F2A1C0B3" },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Sent, At = sent.AddSeconds(2), Recipient = "gone@z.com", Detail = "250 2.0.0 Ok: queued as 4F2A1C0B3" },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Failed, At = sent.AddSeconds(2), Recipient = "ops@w.com", Detail = "554 5.7.1 Message rejected as spam" },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Opened, At = sent.AddMinutes(4), Recipient = "bob@y.com", Client = "c1" },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Opened, At = sent.AddMinutes(30), Recipient = "bob@y.com", Client = "c2" },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Clicked, At = sent.AddMinutes(31), Recipient = "bob@y.com", Client = "c2", Detail = "https://shop.example.com/account/invoices/4711?utm_source=penguinmails&utm_medium=email" },
            new() { TenantId = tenantId, MessageId = rich.Id, Type = EmailEventType.Bounced, At = sent.AddSeconds(2).AddHours(2), Recipient = "gone@z.com",
                Detail = "Reporting-MTA: dns; mx.z.com; Status: 5.1.1; Action: failed; Diagnostic-Code: smtp; 550 5.1.1 <gone@z.com>: Recipient address rejected: User unknown" },
        };
        var attempts = new List<DeliveryAttempt>
        {
            new() { TenantId = tenantId, MessageId = rich.Id, Number = 1, StartedAt = sent.AddSeconds(1), DurationMs = 212, Node = "node-a", Outcome = "deferred", SmtpCode = 421, Response = "421 4.7.0 Try again later, closing connection" },
            new() { TenantId = tenantId, MessageId = rich.Id, Number = 2, StartedAt = sent.AddSeconds(2), DurationMs = 180, Node = "node-a", Outcome = "sent", SmtpCode = 250, Response = "250 2.0.0 Ok: queued as 4F2A1C0B3" },
        };
        await ActivitySeed.WriteAsync(db, messages, events, attempts);
        return (rich.Id, queued.Id);
    }
}
