using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Users;
using PenguinMails.Webhooks;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The webhook endpoint pages over HTTP: create, edit, enable/disable, rotate, delete (sudo and antiforgery), a
/// developer managing endpoints as an admin does (as for API keys), another tenant's endpoint and delivery being 404,
/// and the delivery log's filters, paging and replays. Deliveries are turned off here (PenguinMails:Webhooks:Enabled),
/// so queued ones stay pending; the browser walk delivers for real.
/// </summary>
public abstract partial class PortalWebhookPagesTests
{
    private const string List = "/dashboard/settings/integrations/esp/webhooks";
    private const string Endpoints = List + "/endpoints";
    private const string Receiver = "http://127.0.0.1:9/hooks";
    private readonly PenguinMailsFactory _app;

    protected PortalWebhookPagesTests(PenguinMailsFactory app)
    {
        _app = app;
        app.Settings["PenguinMails:Webhooks:Enabled"] = "false";
        app.Settings["PenguinMails:Webhooks:AllowedPrivateRanges:0"] = "127.0.0.0/8";
    }

    private async Task<(PortalClient Browser, Guid Tenant)> SignedInAsync(UserRole role = UserRole.Admin, Guid? tenant = null)
    {
        var (id, email, password) = await PortalSignInTests.MemberAsync(_app, role, tenant);
        var browser = PortalClient.For(_app);
        await browser.SignInAsync(email, password);
        return (browser, id);
    }

    private Task<T> InDbAsync<T>(Guid tenant, Func<AppDb, Task<T>> work) =>
        _app.InTenantAsync(tenant, sp => work(sp.GetRequiredService<AppDb>()));

    private static List<KeyValuePair<string, string>> Form(string url, string scope = "all", string headers = "", string environment = "live",
        params string[] events) =>
    [
        new("Draft.Url", url), new("Draft.Description", "Orders service"), new("Draft.Environment", environment), new("Draft.Scope", scope),
        new("Draft.Headers", headers), .. events.Select(e => new KeyValuePair<string, string>("Draft.Events", e)),
    ];

    private async Task<Guid> CreateAsync(PortalClient browser, Guid tenant, string url = Receiver)
    {
        var created = await browser.PostFormAsync(Endpoints + "/new", Form(url));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        return await InDbAsync(tenant, db => db.WebhookEndpoints.Where(e => e.Url == url && e.DeletedAt == null).Select(e => e.Id).SingleAsync());
    }

    [Fact]
    public async Task ADeveloper_AddsAnEndpoint_WithPickedEventsAndHeaders_TheSecretIsShownOnce_AndTheListShowsIt()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;

        var form = await browser.GetAsync(Endpoints + "/new");
        var ftp = await browser.PostFormAsync(Endpoints + "/new", Form("ftp://example.com/x"));
        var privateAddress = await browser.PostFormAsync(Endpoints + "/new", Form("https://10.0.0.1/hooks"));
        var noEvents = await browser.PostFormAsync(Endpoints + "/new", Form(Receiver, "selected"));
        var allAndTicked = await browser.PostFormAsync(Endpoints + "/new", Form(Receiver, "all", events: ["email.sent", "contact.created"]));
        var badHeader = await browser.PostFormAsync(Endpoints + "/new", Form(Receiver, headers: "Host: evil.example"));
        var created = await browser.PostFormAsync(Endpoints + "/new",
            Form(Receiver, "selected", "X-Token: s3cr3t\nX-Team: orders", "test", "email.sent", "contact.created"));
        var shown = await browser.GetAsync(created.Headers.Location!.OriginalString);
        var again = await browser.GetAsync(created.Headers.Location!.OriginalString);
        var list = await browser.GetAsync(List);
        var stored = await InDbAsync(tenant, db => db.WebhookEndpoints.SingleAsync());
        var secrets = _app.Services.GetRequiredService<WebhookSecrets>();

        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Contains("Email", form.Html);
        Assert.Contains("value=\"api_key.revoked\"", form.Html);
        Assert.Contains("All events, including types added later", form.Html);
        Assert.Contains("Enter a full http:// or https:// URL", WebUtility.HtmlDecode(await ftp.Content.ReadAsStringAsync()));
        Assert.Contains("This URL cannot receive events", WebUtility.HtmlDecode(await privateAddress.Content.ReadAsStringAsync()));
        Assert.Contains("Choose at least one event, or all events.", await noEvents.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, allAndTicked.StatusCode); // the form again, not a redirect: nothing was added
        Assert.Contains("“All events” is chosen, and 2 events are ticked: choose “Only the events ticked below” to receive just those, or untick them.",
            WebUtility.HtmlDecode(await allAndTicked.Content.ReadAsStringAsync()));
        Assert.Contains("The header &#x27;Host&#x27; cannot be set", await badHeader.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(Endpoints + "/secret", created.Headers.Location!.OriginalString);
        var shownSecret = Regex.Match(shown.Html, "value=\"(whsec_[^\"]+)\"").Groups[1].Value; // as HTML encodes it
        var secret = WebUtility.HtmlDecode(shownSecret);
        Assert.Equal(secrets.Unprotect(stored.ProtectedSecret), secret);
        Assert.Contains("Copy this signing secret now: it is not shown again.", shown.Html);
        Assert.Contains("This signing secret is no longer shown", again.Html);
        Assert.DoesNotContain(shownSecret[6..], again.Html);
        Assert.Equal(["email.sent", "contact.created"], stored.Events);
        Assert.Equal(WebhookEnvironment.Test, stored.Environment);
        Assert.Equal("{\"X-Token\":\"s3cr3t\",\"X-Team\":\"orders\"}", secrets.UnprotectHeaders(stored.ProtectedHeaders));
        Assert.Contains(Receiver, list.Html);
        Assert.Contains($"{Endpoints}/{stored.Id}", list.Html);
        Assert.Contains("2 event types · Test", list.Html);
        Assert.DoesNotContain(shownSecret[6..], list.Html);
    }

    [Fact]
    public async Task Edit_Toggle_TestEvent_Rotate_Delete_AsAnAdmin()
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var id = await CreateAsync(browser, tenant);
        var detail = $"{Endpoints}/{id}";

        var edit = await browser.GetAsync(detail + "/edit");
        var saved = await browser.PostFormAsync(detail + "/edit", Form("http://127.0.0.1:9/v2", "selected", "Authorization: Bearer abc", "live", "campaign.status_changed"));
        var disabled = await browser.PostFormAsync(detail, [], detail + "?handler=toggle");
        var refusedTest = await browser.PostFormAsync(detail, [], detail + "?handler=test");
        var refusedPage = await browser.GetAsync(detail);
        var enabled = await browser.PostFormAsync(detail, [], detail + "?handler=toggle");
        var test = await browser.PostFormAsync(detail, [], detail + "?handler=test");
        var log = await browser.GetAsync(detail);
        var rotateConfirm = await browser.GetAsync(detail + "/rotate");
        var oldSecret = await InDbAsync(tenant, db => db.WebhookEndpoints.Where(e => e.Id == id).Select(e => e.ProtectedSecret).SingleAsync());
        var rotated = await browser.PostFormAsync(detail + "/rotate", []);
        var shown = await browser.GetAsync(rotated.Headers.Location!.OriginalString);
        var afterRotate = await InDbAsync(tenant, db => db.WebhookEndpoints.SingleAsync(e => e.Id == id));
        var deleted = await browser.PostFormAsync(detail + "/delete", []);
        var list = await browser.GetAsync(List);
        var gone = await browser.GetAsync(detail);

        Assert.Contains("value=\"http://127.0.0.1:9/hooks\"", edit.Html);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, refusedTest.StatusCode);
        Assert.Contains("The endpoint is disabled: enable it before sending a test event.", refusedPage.Html);
        Assert.Contains(">Enable</button>", refusedPage.Html);
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, test.StatusCode);
        Assert.Contains("A webhook.test event was queued for this endpoint", log.Html);
        Assert.Contains("<code>webhook.test</code>", log.Html);
        Assert.Contains(">Pending</span>", log.Html);
        Assert.Contains("Authorization", log.Html);
        Assert.DoesNotContain("Bearer abc", log.Html);
        Assert.Contains("<code class=\"border rounded px-1\">campaign.status_changed</code>", log.Html);
        Assert.Contains("The old secret keeps signing for 24 hours", rotateConfirm.Html);
        Assert.Equal(Endpoints + "/secret", rotated.Headers.Location!.OriginalString);
        Assert.Contains("The old secret keeps signing too until", shown.Html);
        Assert.Matches("value=\"whsec_", shown.Html);
        Assert.Equal(oldSecret, afterRotate.ProtectedPreviousSecret);
        Assert.Equal(_app.Clock.GetUtcNow().UtcDateTime.AddHours(24), afterRotate.PreviousSecretUntil);
        Assert.Equal("http://127.0.0.1:9/v2", afterRotate.Url);
        Assert.Equal(["campaign.status_changed"], afterRotate.Events);
        Assert.True(afterRotate.Enabled);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Contains("was deleted; no more events are sent to it", list.Html);
        Assert.Contains("No webhook endpoints yet", list.Html);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task SecretShowingAndChangingPages_WhenSudoRanOut_AskForThePassword_AndChangeNothing()
    {
        var (browser, tenant) = await SignedInAsync(UserRole.Developer);
        using var _b = browser;
        var id = await CreateAsync(browser, tenant);
        var before = await InDbAsync(tenant, db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == id));
        _app.Advance(TimeSpan.FromMinutes(11));

        var paths = new[] { Endpoints + "/new", $"{Endpoints}/{id}/edit", $"{Endpoints}/{id}/rotate", $"{Endpoints}/{id}/delete" };
        foreach (var path in paths)
        {
            var get = await browser.GetAsync(path);
            var post = await browser.PostFormAsync(List, Form("http://127.0.0.1:9/other"), path);
            Assert.Equal(HttpStatusCode.Redirect, get.Status);
            Assert.Equal($"/account/confirm-password?returnUrl={Uri.EscapeDataString(path)}", get.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.StartsWith("/account/confirm-password?returnUrl=", post.Headers.Location!.OriginalString);
        }

        var after = await InDbAsync(tenant, db => db.WebhookEndpoints.AsNoTracking().ToListAsync());
        var single = Assert.Single(after);
        Assert.Equal((before.Url, before.ProtectedSecret, before.DeletedAt), (single.Url, single.ProtectedSecret, single.DeletedAt));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"{Endpoints}/{id}")).Status); // reading needs no password
    }

    [Theory]
    [InlineData("/new")]
    [InlineData("/{id}/edit")]
    [InlineData("/{id}/rotate")]
    [InlineData("/{id}/delete")]
    [InlineData("/{id}?handler=toggle")]
    [InlineData("/{id}?handler=test")]
    public async Task Forms_WithoutTheirAntiforgeryToken_AreRefused_AndChangeNothing(string action)
    {
        var (browser, tenant) = await SignedInAsync();
        using var _b = browser;
        var id = await CreateAsync(browser, tenant);
        await browser.GetAsync(List);

        using var post = await browser.Http.PostAsync(Endpoints + action.Replace("{id}", id.ToString()),
            new FormUrlEncodedContent(Form("http://127.0.0.1:9/forged")));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("The form could not be accepted", await post.Content.ReadAsStringAsync());
        var rows = await InDbAsync(tenant, db => db.WebhookEndpoints.AsNoTracking().ToListAsync());
        Assert.Equal([(Receiver, true, (DateTime?)null)], rows.Select(e => (e.Url, e.Enabled, e.DeletedAt)));
        Assert.Equal(0, await InDbAsync(tenant, db => db.WebhookDeliveries.CountAsync()));
    }

    [Fact]
    public async Task AnotherTenantsEndpointAndDelivery_Are404_OnEveryPageAndForm()
    {
        var (owner, ownerTenant) = await SignedInAsync();
        using var _o = owner;
        var id = await CreateAsync(owner, ownerTenant);
        await owner.PostFormAsync($"{Endpoints}/{id}", [], $"{Endpoints}/{id}?handler=test");
        var delivery = await InDbAsync(ownerTenant, db => db.WebhookDeliveries.Select(d => d.Id).SingleAsync());
        var (other, otherTenant) = await SignedInAsync();
        using var _x = other;

        foreach (var path in new[] { "", "/edit", "/rotate", "/delete" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"{Endpoints}/{id}{path}")).Status);
        }

        foreach (var action in new[] { "/rotate", "/delete", "/edit", "?handler=toggle", "?handler=test" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.PostFormAsync(List, Form("http://127.0.0.1:9/x"), $"{Endpoints}/{id}{action}")).StatusCode);
        }

        var otherId = await CreateAsync(other, otherTenant, "http://127.0.0.1:9/mine");
        var replay = await other.PostFormAsync(List, [new("delivery", delivery.ToString())], $"{Endpoints}/{otherId}?handler=replay");
        var list = await other.GetAsync(List);

        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        Assert.DoesNotContain(Receiver, list.Html);
        var ownerRow = await InDbAsync(ownerTenant, db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == id));
        Assert.Equal((Receiver, true, (DateTime?)null), (ownerRow.Url, ownerRow.Enabled, ownerRow.DeletedAt));
        Assert.Equal(1, await InDbAsync(ownerTenant, db => db.WebhookDeliveries.CountAsync()));
    }
}

public sealed class PortalWebhookPagesSqliteTests(SqliteFactory app) : PortalWebhookPagesTests(app), IClassFixture<SqliteFactory>;

public sealed class PortalWebhookPagesPostgresTests(PostgresFactory app) : PortalWebhookPagesTests(app), IClassFixture<PostgresFactory>;
