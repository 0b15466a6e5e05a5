using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PenguinMails.Contacts;
using PenguinMails.Data;
using PenguinMails.Suppressions;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Campaigns;

/// <summary>
/// Campaigns sent through the real queue and dispatcher into the pickup directory: the audience rule, skipped
/// contacts, per-recipient rendering, List-Unsubscribe, scheduling, and "sent" once the queue is drained.
/// </summary>
public abstract class CampaignSendTests(PenguinMailsFactory app)
{
    private readonly string _outbox = Path.Combine(app.DataDirectory, "outbox");

    [Fact]
    public async Task Send_MailsEachEligibleContactOnce_RenderedForThem_AndSkipsTheOthers()
    {
        var (tenant, client) = await app.CampaignClientAsync();
        await app.AddContactsAsync(tenant,
        [
            new("ann@example.com", "Ann", "Lee") { Tags = ["vip"], Attributes = { ["city"] = "\"Paris\"" } },
            new("bob@example.com") { Tags = ["news", "vip"] },
            new("unsub@example.com", Status: ContactStatus.Unsubscribed) { Tags = ["vip"] },
            new("bounced@example.com", Status: ContactStatus.Bounced) { Tags = ["vip"] },
            new("complained@example.com", Status: ContactStatus.Complained) { Tags = ["vip"] },
            new("suppressed@example.com") { Tags = ["vip"] },
            new("untagged@example.com"),
        ]);
        await app.InTenantAsync(tenant, async sp =>
        {
            // Written directly, so the contact stays subscribed: the fan-out itself must skip the suppressed address.
            var db = sp.GetRequiredService<AppDb>();
            db.Suppressions.Add(new Suppression { Email = "suppressed@example.com", Reason = SuppressionReason.Manual, CreatedAt = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        var id = (await client.CreateCampaignAsync(CampaignKit.Inline(tags: ["vip", "news"])))["id"]!.GetValue<string>();

        var sending = await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        Assert.Equal("sending", sending.Status());
        var sent = await app.WaitForCampaignAsync(client, id, c => c.Status() == "sent", "the campaign is sent");

        Assert.Equal(2, sent.Progress("recipients"));
        Assert.Equal(1, sent.Progress("skipped"));
        Assert.Equal(2, sent.Progress("delivered"));
        Assert.Equal(0, sent.Progress("pending"));
        var mail = Delivered(id);
        Assert.Equal(["ann@example.com", "bob@example.com"], mail.Keys.Order());
        Assert.Equal("Hi Ann", mail["ann@example.com"].Subject);
        Assert.Contains("Hello Ann Lee from Paris", mail["ann@example.com"].HtmlBody);
        Assert.Equal("Hi", mail["bob@example.com"].Subject);
        Assert.Contains("from Nowhere", mail["bob@example.com"].HtmlBody);
        Assert.All(mail.Values, m => Assert.Contains("/t/u/", m.Headers["List-Unsubscribe"]));
    }

    [Fact]
    public async Task Send_FromATemplate_ContactAttributesOverrideTheDefaults()
    {
        var (tenant, client) = await app.CampaignClientAsync();
        await (await client.PostJsonAsync("/api/v1/templates", new
        {
            slug = "promo", name = "Promo", subject = "{{greeting}}, {{first_name}}", html_body = "<p>{{greeting}} {{email}}</p>",
        })).DataAsync(201);
        await app.AddContactsAsync(tenant,
        [
            new("cy@example.com", "Cy") { Attributes = { ["greeting"] = "\"Bonjour\"" } },
            new("di@example.com", "Di"),
        ]);
        var id = (await client.CreateCampaignAsync(new
        {
            name = "Promo", from = "shop@example.com", template_id = "promo", variables = new { greeting = "Hello" }, audience = new { all = true },
        }))["id"]!.GetValue<string>();

        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).DataAsync();
        await app.WaitForCampaignAsync(client, id, c => c.Status() == "sent", "the campaign is sent");

        var mail = Delivered(id);
        Assert.Equal("Bonjour, Cy", mail["cy@example.com"].Subject);
        Assert.Equal("Hello, Di", mail["di@example.com"].Subject);
        Assert.Contains("Hello di@example.com", mail["di@example.com"].HtmlBody);
    }

    [Fact]
    public async Task Schedule_StartsTheCampaignWhenItsTimeComes()
    {
        var (tenant, client) = await app.CampaignClientAsync();
        await app.AddContactsAsync(tenant, [new("later@example.com", "Lou") { Tags = ["later"] }]);
        var created = await client.CreateCampaignAsync(CampaignKit.Inline(tags: ["later"]));
        var id = created["id"]!.GetValue<string>();
        app.Advance(TimeSpan.FromMinutes(1));
        var at = app.Clock.GetUtcNow().AddHours(1);

        var scheduled = await (await client.PostJsonAsync($"/api/v1/campaigns/{id}/send", new { scheduled_at = at })).DataAsync();
        Assert.Equal("scheduled", scheduled.Status());
        Assert.Equal(Moment(created["created_at"]).AddMinutes(1), Moment(scheduled["updated_at"]));
        await app.WaitForCampaignAsync(client, id, c => c.Status() == "scheduled" && c.Progress("recipients") == 0, "nothing is sent early");

        app.Advance(TimeSpan.FromHours(1));
        var sent = await app.WaitForCampaignAsync(client, id, c => c.Status() == "sent", "the campaign is sent");
        Assert.Equal(1, sent.Progress("delivered"));
        Assert.Single(Delivered(id));
        Assert.Equal(Moment(sent["sent_at"]), Moment(sent["updated_at"]));
    }

    private static DateTimeOffset Moment(System.Text.Json.Nodes.JsonNode? value) => DateTimeOffset.Parse(value!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The campaign's messages in the pickup directory, by recipient.</summary>
    private Dictionary<string, MimeMessage> Delivered(string campaignId) =>
        (Directory.Exists(_outbox) ? Directory.GetFiles(_outbox, "*.eml") : [])
            .Select(f => MimeMessage.Load(f))
            .Where(m => m.Headers["X-PenguinMails-Campaign"] == campaignId)
            .ToDictionary(m => m.To.Mailboxes.Single().Address);
}

public sealed class CampaignSendSqliteTests(SqliteFactory f) : CampaignSendTests(f), IClassFixture<SqliteFactory>;

public sealed class CampaignSendPostgresTests(PostgresFactory f) : CampaignSendTests(f), IClassFixture<PostgresFactory>;
