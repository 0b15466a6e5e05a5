using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Campaigns;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The activity pages over HTTP (issue 14): the email log's filters (in the URL) and keyset pages, the message page's
/// recipients, attempts, timeline and the sentence saying why each recipient was not reached, another tenant's message
/// being 404; the suppression list's paste-many add (summary of added, already there, invalid), search, reason filter,
/// pages, removal (a bounce or complaint only with the box ticked; antiforgery) and its CSV export.
/// </summary>
public abstract partial class PortalActivityTests(PenguinMailsFactory app)
{
    private const string Emails = "/dashboard/emails";
    private const string Suppressions = "/dashboard/suppressions";

    private async Task<(PortalClient Browser, Guid Tenant)> SignedInAsync(UserRole role = UserRole.Admin)
    {
        var (tenant, email, password) = await PortalSignInTests.MemberAsync(app, role);
        var browser = PortalClient.For(app);
        await browser.SignInAsync(email, password);
        return (browser, tenant);
    }

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private static int Rows(string html) => MessageLink().Count(html);

    [Fact]
    public async Task EmailLog_Filters_Pages_AndNeverShowsAnotherTenantsMail()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;
        var other = await app.CreateTenantAsync();
        var campaign = Guid.CreateVersion7();
        var messages = Enumerable.Range(0, 60).Select(i => ActivitySeed.Message(tenant, Now.AddMinutes(-i - 1), $"p{i}@example.net",
            i % 10 == 0 ? EmailStatus.Bounced : EmailStatus.Sent, $"Subject {i}", i % 3 == 0 ? ["orders"] : [], i < 5 ? campaign : null, test: i is 7 or 8)).ToList();
        await app.SeedAsync(tenant, messages);
        await app.SeedAsync(other, [ActivitySeed.Message(other, Now, "stranger@example.net", subject: "Not yours")]);

        var empty = await browser.GetAsync(Emails + "?status=queued");
        var first = await browser.GetAsync(Emails);
        var next = WebUtility.HtmlDecode(OlderLink().Match(first.Html).Groups[1].Value);
        await app.SeedAsync(tenant, [ActivitySeed.Message(tenant, Now, "late@example.net", subject: "Arrived meanwhile")]);
        var second = await browser.GetAsync(next);
        var bounced = await browser.GetAsync(Emails + "?status=bounced");
        var tagged = await browser.GetAsync(Emails + "?tag=orders&environment=live");
        var test = await browser.GetAsync(Emails + "?environment=test");
        var byCampaign = await browser.GetAsync(Emails + "?campaign_id=" + CampaignIds.Format(campaign));
        var byRecipient = await browser.GetAsync(Emails + "?recipient=P12%40example.net");
        var window = await browser.GetAsync(Emails + $"?from={Now.AddMinutes(-10):yyyy-MM-ddTHH:mm}&to={Now.AddMinutes(-4):yyyy-MM-ddTHH:mm}");
        var wrong = await browser.GetAsync(Emails + "?status=lost&from=yesterday");

        Assert.Contains("No email matches this filter.", empty.Html);
        Assert.Equal(50, Rows(first.Html));
        Assert.DoesNotContain("Not yours", first.Html);
        Assert.Contains("p0@example.net", first.Html);
        Assert.Equal(10, Rows(second.Html));
        Assert.Contains("p59@example.net", second.Html);
        Assert.DoesNotContain("Arrived meanwhile", second.Html);
        Assert.Contains("The end of the log.", second.Html);
        Assert.Equal(6, Rows(bounced.Html));
        Assert.Equal(20, Rows(tagged.Html));
        Assert.Equal(2, Rows(test.Html));
        Assert.Contains(">Test<", test.Html);
        Assert.Equal(5, Rows(byCampaign.Html));
        Assert.Equal(1, Rows(byRecipient.Html));
        Assert.Contains("p12@example.net", byRecipient.Html);
        Assert.Equal(6, Rows(window.Html));
        Assert.Contains("This filter cannot be used", wrong.Html);
        Assert.Contains("status must be one of", wrong.Html);
        Assert.Contains("From must be a date and time", wrong.Html);
        Assert.Contains("environment=live&amp;cursor=", (await browser.GetAsync(Emails + "?environment=live")).Html); // filters survive paging
    }

    [Fact]
    public async Task MessagePage_ShowsEachRecipientWithWhy_Attempts_Timeline_AndIsTenantIsolated()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var other = await app.CreateTenantAsync();
        var sent = Now.AddHours(-3);
        var earlier = ActivitySeed.Message(tenant, Now.AddDays(-20), "jane@x.com", EmailStatus.Bounced, detail: "550 5.1.1 user unknown");
        var message = ActivitySeed.Message(tenant, sent, "bob@y.com", EmailStatus.Sent, "Your invoice", ["billing"]);
        message.Recipients.AddRange(
        [
            new EmailRecipient { TenantId = tenant, MessageId = message.Id, Kind = RecipientKind.Cc, Address = "Jane <jane@x.com>", Email = "jane@x.com", Status = RecipientStatus.Suppressed, Detail = "on the suppression list: not sent" },
            new EmailRecipient { TenantId = tenant, MessageId = message.Id, Kind = RecipientKind.Cc, Address = "gone@z.com", Email = "gone@z.com", Status = RecipientStatus.Bounced, Detail = "Status: 5.1.1" },
            new EmailRecipient { TenantId = tenant, MessageId = message.Id, Kind = RecipientKind.Bcc, Address = "ops@w.com", Email = "ops@w.com", Status = RecipientStatus.Failed, Detail = "554 5.7.1 Message rejected as spam" },
        ]);
        var events = new List<EmailEvent>
        {
            new() { TenantId = tenant, MessageId = earlier.Id, Type = EmailEventType.Bounced, At = earlier.CreatedAt.AddSeconds(3), Recipient = "jane@x.com", Detail = "550 5.1.1 user unknown" },
            new() { TenantId = tenant, MessageId = message.Id, Type = EmailEventType.Queued, At = sent },
            new() { TenantId = tenant, MessageId = message.Id, Type = EmailEventType.Suppressed, At = sent.AddSeconds(1), Recipient = "jane@x.com", Detail = "on the suppression list: not sent" },
            new() { TenantId = tenant, MessageId = message.Id, Type = EmailEventType.Sent, At = sent.AddSeconds(2), Recipient = "bob@y.com", Detail = "250 2.0.0 Ok: queued as 4F2A" },
            new() { TenantId = tenant, MessageId = message.Id, Type = EmailEventType.Failed, At = sent.AddSeconds(2), Recipient = "ops@w.com", Detail = "554 5.7.1 Message rejected as spam" },
            new() { TenantId = tenant, MessageId = message.Id, Type = EmailEventType.Bounced, At = sent.AddHours(2), Recipient = "gone@z.com",
                Detail = "Status: 5.1.1; Action: failed; Diagnostic-Code: smtp; 550 5.1.1 <gone@z.com>: Recipient address rejected" },
            new() { TenantId = tenant, MessageId = message.Id, Type = EmailEventType.Opened, At = sent.AddMinutes(5), Recipient = "bob@y.com", Client = "c1" },
            new() { TenantId = tenant, MessageId = message.Id, Type = EmailEventType.Clicked, At = sent.AddMinutes(6), Recipient = "bob@y.com", Client = "c1", Detail = "https://shop.example/invoice/42" },
        };
        var attempts = new List<DeliveryAttempt>
        {
            new() { TenantId = tenant, MessageId = message.Id, Number = 1, StartedAt = sent.AddSeconds(1), DurationMs = 180, Node = "node-a", Outcome = "sent", SmtpCode = 250, Response = "250 2.0.0 Ok: queued as 4F2A" },
        };
        await app.SeedAsync(tenant, [earlier, message], events, attempts);
        await app.InTenantAsync(tenant, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("jane@x.com", SuppressionReason.HardBounce, "system", null, default));
        await app.InTenantAsync(tenant, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("gone@z.com", SuppressionReason.HardBounce, "system", null, default));
        var stranger = ActivitySeed.Message(other, Now, "x@other.example", subject: "Someone else's");
        await app.SeedAsync(other, [stranger]);

        var page = await browser.GetAsync($"{Emails}/{EmailIds.Format(message.Id)}");
        var html = WebUtility.HtmlDecode(page.Html);
        var foreign = await browser.GetAsync($"{Emails}/{EmailIds.Format(stranger.Id)}");
        var malformed = await browser.GetAsync($"{Emails}/not-an-id");
        var missing = await browser.GetAsync($"{Emails}/{EmailIds.Format(Guid.CreateVersion7())}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Your invoice", html);
        Assert.Contains("Acme <news@example.com>", html);
        Assert.Contains("billing", html);
        Assert.Contains($"Not sent: jane@x.com is on your suppression list since {Now:MMM d, yyyy} because an earlier message hard-bounced (550 5.1.1 user unknown).", html);
        Assert.Contains("Bounced: the recipient's server reported 5.1.1 (the mailbox does not exist) in a bounce report received 2 h after sending: “Status: 5.1.1; Action: failed;", html);
        Assert.Contains("Failed: the message was refused for a reason that is not about the mailbox: “554 5.7.1 Message rejected as spam”. The address was not suppressed", html);
        Assert.Contains("250 2.0.0 Ok: queued as 4F2A", html);
        Assert.Contains("<td data-label=\"SMTP code\">250</td>", html);
        Assert.Contains("1 open (1 unique) · 1 click (1 unique)", html);
        Assert.Contains("https://shop.example/invoice/42", html);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.DoesNotContain("Someone else's", foreign.Html);
        Assert.Equal(HttpStatusCode.NotFound, malformed.Status);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task Suppressions_PasteMany_Summary_Search_ReasonFilter_AndPages()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;
        await app.InTenantAsync(tenant, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("kept@example.com", SuppressionReason.Complaint, "system", null, default));

        var added = await browser.PostFormAsync(Suppressions, new() { ["Addresses"] = "ann@example.com, Bob <BOB@example.com>\nnot-an-address\n\nKEPT@example.com\nann@example.com;x@", ["AddReason"] = "manual", ["Note"] = "asked by phone" }, Suppressions + "?handler=Add");
        var list = await browser.GetAsync(Suppressions);
        var nothing = await browser.PostFormAsync(Suppressions, new() { ["Addresses"] = "nope", ["AddReason"] = "manual" }, Suppressions + "?handler=Add");
        var badReason = await browser.PostFormAsync(Suppressions, new() { ["Addresses"] = "c@example.com", ["AddReason"] = "whim" }, Suppressions + "?handler=Add");
        var search = await browser.GetAsync(Suppressions + "?search=BOB");
        var complaints = await browser.GetAsync(Suppressions + "?reason=complaint");
        var wrongReason = await browser.GetAsync(Suppressions + "?reason=bored");
        var stored = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().Suppressions.OrderBy(s => s.Email).ToListAsync());

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Contains("2 addresses were added to the suppression list. 1 was already there (their first reason is kept).", WebUtility.HtmlDecode(list.Html));
        Assert.Contains("2 entries are not email addresses and were skipped: “not-an-address”, “x@”.", WebUtility.HtmlDecode(list.Html));
        Assert.Equal(["ann@example.com", "bob@example.com", "kept@example.com"], stored.Select(s => s.Email));
        Assert.Equal(SuppressionReason.Complaint, stored[2].Reason);
        Assert.Equal(("portal", "asked by phone"), (stored[0].Source, stored[0].Note));
        Assert.Contains("“nope” is not an email address.", WebUtility.HtmlDecode(await nothing.Content.ReadAsStringAsync()));
        Assert.Contains("Choose a reason from the list.", await badReason.Content.ReadAsStringAsync());
        Assert.Contains("bob@example.com", search.Html);
        Assert.DoesNotContain("ann@example.com", search.Html);
        Assert.Contains("kept@example.com", complaints.Html);
        Assert.DoesNotContain("ann@example.com", complaints.Html);
        Assert.Contains("reason must be one of hard_bounce, complaint, unsubscribe, manual.", wrongReason.Html);

        await browser.PostFormAsync(Suppressions, new() { ["Addresses"] = string.Join("\n", Enumerable.Range(0, 60).Select(i => $"bulk{i}@example.com")), ["AddReason"] = "unsubscribe" }, Suppressions + "?handler=Add");
        var first = await browser.GetAsync(Suppressions);
        var next = WebUtility.HtmlDecode(OlderEntries().Match(first.Html).Groups[1].Value);
        var second = await browser.GetAsync(next);
        Assert.Equal(50, RemoveLink().Count(first.Html));
        Assert.Equal(13, RemoveLink().Count(second.Html));
        Assert.Contains("The end of the list.", second.Html);
    }

    [Fact]
    public async Task Remove_SaysWhy_BounceOrComplaintNeedsTheBox_ManualDoesNot_AndAnotherTenantsIs404()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;
        var other = await app.CreateTenantAsync();
        var earlier = ActivitySeed.Message(tenant, Now.AddDays(-1), "dead@example.com", EmailStatus.Bounced);
        await app.SeedAsync(tenant, [earlier], [new EmailEvent { TenantId = tenant, MessageId = earlier.Id, Type = EmailEventType.Bounced, At = earlier.CreatedAt, Recipient = "dead@example.com", Detail = "550 5.1.1 user unknown" }]);
        await app.InTenantAsync(tenant, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("dead@example.com", SuppressionReason.HardBounce, "system", null, default));
        await app.InTenantAsync(tenant, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("me@example.com", SuppressionReason.Manual, "portal", null, default));
        await app.InTenantAsync(other, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("theirs@example.com", SuppressionReason.Manual, "api", null, default));
        const string Dead = Suppressions + "/remove?email=dead%40example.com";

        var confirm = await browser.GetAsync(Dead);
        var unticked = await browser.PostFormAsync(Dead, new() { ["Confirmed"] = "false" });
        var noToken = await browser.Http.PostAsync(Dead, new FormUrlEncodedContent(new Dictionary<string, string> { ["Confirmed"] = "true" }));
        var stillThere = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<SuppressionList>().IsSuppressedAsync("dead@example.com", default));
        var ticked = await browser.PostFormAsync(Dead, new() { ["Confirmed"] = "true" });
        var manual = await browser.PostFormAsync(Suppressions + "/remove?email=me%40example.com", []);
        var foreign = await browser.GetAsync(Suppressions + "/remove?email=theirs%40example.com");
        var notAnAddress = await browser.GetAsync(Suppressions + "/remove?email=nope");
        var after = await browser.GetAsync(Suppressions);
        var left = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().Suppressions.CountAsync());

        Assert.Contains("is suppressed since", confirm.Html);
        Assert.Contains("because a message to it hard-bounced", WebUtility.HtmlDecode(confirm.Html));
        Assert.Contains("550 5.1.1 user unknown", confirm.Html);
        Assert.Contains("I understand, remove this hard bounce suppression", confirm.Html);
        Assert.Equal(HttpStatusCode.OK, unticked.StatusCode);
        Assert.Contains("Tick the box to confirm", await unticked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.True(stillThere);
        Assert.Equal(HttpStatusCode.Redirect, ticked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, manual.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(HttpStatusCode.NotFound, notAnAddress.Status);
        Assert.Contains("was removed from the suppression list", after.Html);
        Assert.Equal(0, left);
        Assert.True(await app.InTenantAsync(other, sp => sp.GetRequiredService<SuppressionList>().IsSuppressedAsync("theirs@example.com", default)));
    }

    [Fact]
    public async Task Export_IsCsvOfTheFilteredList_FormulasEscaped_OtherTenantsAbsent()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var other = await app.CreateTenantAsync();
        await app.InTenantAsync(tenant, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("a@example.com", SuppressionReason.Manual, "api", "=HYPERLINK(\"http://evil\")", default));
        app.Advance(TimeSpan.FromSeconds(1)); // b is the newer by its time, not by its id's random bits within one millisecond
        await app.InTenantAsync(tenant, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("b@example.com", SuppressionReason.HardBounce, "system", null, default));
        await app.InTenantAsync(other, sp => sp.GetRequiredService<SuppressionList>().AddOrKeepAsync("c@example.com", SuppressionReason.Manual, "api", null, default));

        using var all = await browser.Http.GetAsync(Suppressions + "?handler=export");
        var csv = await all.Content.ReadAsStringAsync();
        var bounces = await (await browser.Http.GetAsync(Suppressions + "?handler=export&reason=hard_bounce")).Content.ReadAsStringAsync();
        var wrong = await browser.Http.GetAsync(Suppressions + "?handler=export&reason=bored");

        Assert.Equal("text/csv", all.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment; filename=\"suppressions-", all.Content.Headers.ContentDisposition!.ToString());
        var lines = csv.TrimEnd().Split("\r\n");
        Assert.Equal("email,reason,source,note,created_at", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("b@example.com,hard_bounce,system,,", lines[1]);
        Assert.StartsWith("a@example.com,manual,api,\"'=HYPERLINK(\"\"http://evil\"\")\",", lines[2]);
        Assert.DoesNotContain("c@example.com", csv);
        Assert.Equal(2, bounces.TrimEnd().Split("\r\n").Length);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
    }

    [GeneratedRegex("href=\"/dashboard/emails/msg_[0-9a-f]{32}\"")]
    private static partial Regex MessageLink();

    [GeneratedRegex("href=\"([^\"]+)\">Older emails<")]
    private static partial Regex OlderLink();

    [GeneratedRegex("href=\"([^\"]+)\">Older entries<")]
    private static partial Regex OlderEntries();

    [GeneratedRegex("href=\"/dashboard/suppressions/remove\\?email=")]
    private static partial Regex RemoveLink();
}

public sealed class PortalActivitySqliteTests(SqliteFactory app) : PortalActivityTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalActivityPostgresTests(PostgresFactory app) : PortalActivityTests(app), IClassFixture<PostgresFactory>;
