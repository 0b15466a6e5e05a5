using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Campaigns;
using PenguinMails.Contacts;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Campaigns;

/// <summary>Contacts written straight into a tenant, and campaigns driven through the API the way a client does.</summary>
public static class CampaignKit
{
    public static readonly string[] CampaignPermissions =
        [Permissions.CampaignsRead, Permissions.CampaignsWrite, Permissions.CampaignsDelete, Permissions.AnalyticsRead, Permissions.EmailsSend];

    public static async Task<(Guid Tenant, HttpClient Client)> CampaignClientAsync(this PenguinMailsFactory app, string environment = "live")
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, CampaignPermissions, environment: environment);
        return (tenant, app.Client(key));
    }

    public sealed record Person(string Email, string? First = null, string? Last = null, ContactStatus Status = ContactStatus.Subscribed)
    {
        public string[] Tags { get; init; } = [];
        public Dictionary<string, string> Attributes { get; init; } = [];
    }

    /// <summary>Adds contacts; returns their ids in the order given.</summary>
    public static Task<List<Guid>> AddContactsAsync(this PenguinMailsFactory app, Guid tenant, IEnumerable<Person> people) =>
        app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var contacts = people.Select(p => new Contact
            {
                Email = p.Email, NormalizedEmail = p.Email.ToLowerInvariant(), FirstName = p.First, LastName = p.Last, Status = p.Status,
                CreatedAt = now, UpdatedAt = now,
                Tags = p.Tags.Select(t => new ContactTag { Tag = t }).ToList(),
                Attributes = p.Attributes.Select(a => new ContactAttributeValue { Key = a.Key, Value = a.Value }).ToList(),
            }).ToList();
            db.Contacts.AddRange(contacts);
            await db.SaveChangesAsync();
            return contacts.Select(c => c.Id).ToList();
        });

    public static Task<List<EmailMessage>> CampaignMessagesAsync(this PenguinMailsFactory app, Guid tenant, string campaignId) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().EmailMessages.AsNoTracking().Include(m => m.Recipients)
            .Where(m => m.CampaignId == CampaignIds.Parse(campaignId)).ToListAsync());

    public static async Task<JsonNode> CreateCampaignAsync(this HttpClient client, object body) =>
        await (await client.PostJsonAsync("/api/v1/campaigns", body)).DataAsync(201);

    public static async Task<JsonNode> CampaignAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/v1/campaigns/{id}")).DataAsync();

    public static object Inline(string name = "Launch", string[]? tags = null, string subject = "Hi {{first_name}}",
        string html = "<p>Hello {{first_name}} {{last_name}} from {{city}}</p><a href=\"https://example.com/a\">a</a>") => new
    {
        name, subject, from = "News <news@example.com>", html_body = html, text_body = "Hello {{first_name}}",
        variables = new { city = "Nowhere" },
        audience = tags is null ? (object)new { all = true } : new { tags },
    };

    /// <summary>Creates the template <paramref name="slug"/> (201), which greets <c>{{first_name}}</c>.</summary>
    public static async Task CreateTemplateAsync(this HttpClient client, string slug) =>
        await (await client.PostJsonAsync("/api/v1/templates", new { slug, name = slug, subject = "Hi {{first_name}}", html_body = "<p>Hello</p>" })).DataAsync(201);

    /// <summary>A campaign of the template <paramref name="slug"/> to the contacts with any of <paramref name="tags"/> (or everyone).</summary>
    public static object FromTemplate(string slug, string[]? tags = null) => new
    {
        name = "From " + slug, from = "News <news@example.com>", template_id = slug,
        audience = tags is null ? (object)new { all = true } : new { tags },
    };

    /// <summary>Removes the template's row as a delete racing a schedule or a send would: the API's DELETE refuses while campaigns need it.</summary>
    public static Task<int> RemoveTemplateRowAsync(this PenguinMailsFactory app, Guid tenant, string slug) =>
        app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().EmailTemplates.Where(t => t.Slug == slug).ExecuteDeleteAsync());

    /// <summary>Wakes the fan-out worker and the dispatcher until the campaign satisfies <paramref name="done"/>.</summary>
    public static async Task<JsonNode> WaitForCampaignAsync(this PenguinMailsFactory app, HttpClient client, string id,
        Func<JsonNode, bool> done, string what)
    {
        JsonNode? campaign = null;
        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Services.GetRequiredService<CampaignSignal>().Notify();
            app.Services.GetRequiredService<DispatchSignal>().Notify();
            campaign = await client.CampaignAsync(id);
            return done(campaign);
        }, $"{what} (last seen: {campaign?.ToJsonString()})", 30_000);
        return campaign!;
    }

    public static bool FanOutDone(JsonNode c) => c["progress"]!["fan_out_complete"]!.GetValue<bool>();

    public static string Status(this JsonNode c) => c["status"]!.GetValue<string>();

    public static int Progress(this JsonNode c, string name) => c["progress"]![name]!.GetValue<int>();
}
