using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Esp;

/// <summary>A tenant with a send key and an admin:full key, delivering through one of the stand-in's ESPs.</summary>
public sealed record EspTenant(Guid Id, HttpClient Sender, HttpClient Admin, JsonNode Settings);

public static class EspTestKit
{
    public static object PostmarkSettings(string token = EspStandIn.PostmarkToken) =>
        new { transport = "postmark", postmark = new { server_token = token, message_stream = "outbound" } };

    public static object MailgunSettings(string key = EspStandIn.MailgunKey, string signingKey = "mg-signing-key-5a7c") =>
        new { transport = "mailgun", mailgun = new { api_key = key, domain = EspStandIn.MailgunDomain, region = "us", webhook_signing_key = signingKey } };

    public static async Task<EspTenant> EspTenantAsync(this PenguinMailsFactory app, object settings)
    {
        var (tenant, sender) = await app.TenantClientAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        var admin = app.Client(key);
        var saved = await (await admin.PutAsJsonAsync("/api/v1/tenant/esp", settings)).DataAsync();
        return new EspTenant(tenant, sender, admin, saved);
    }

    public static string Unique(string local) => $"{local}-{Guid.NewGuid():N}@example.com";

    /// <summary>The audit-log entries of <paramref name="type"/>, once the background writer has written at least one.</summary>
    public static async Task<JsonArray> AuditAsync(this EspTenant tenant, string type)
    {
        JsonArray entries = [];
        await PenguinMailsFactory.Eventually(async () =>
        {
            entries = (await (await tenant.Admin.GetAsync($"/api/v1/platform/audit-log?type={type}")).DataAsync()).AsArray();
            return entries.Count > 0;
        }, $"an audit entry {type} is written");
        return entries;
    }
}
