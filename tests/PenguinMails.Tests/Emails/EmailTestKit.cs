using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Delivery;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>Sending and waiting for delivery through the API, the way a client does.</summary>
public static class EmailTestKit
{
    public static readonly string[] SendPermissions =
        [Permissions.EmailsSend, Permissions.EmailsSendBulk, Permissions.CampaignsWrite, Permissions.ContactsRead];

    public static async Task<(Guid Tenant, HttpClient Client)> TenantClientAsync(this PenguinMailsFactory app, string environment = "live")
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, SendPermissions, environment: environment);
        return (tenant, app.Client(key));
    }

    public static async Task<string> SendAsync(this HttpClient client, object body)
    {
        var data = await (await client.PostJsonAsync("/api/v1/emails/send", body)).DataAsync();
        Assert.Equal("queued", data["status"]!.GetValue<string>());
        return data["id"]!.GetValue<string>();
    }

    public static async Task<JsonNode> EmailAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/v1/emails/{id}")).DataAsync();

    /// <summary>Wakes the dispatcher (after moving the clock, if asked) and waits until the email has <paramref name="status"/>.</summary>
    public static async Task<JsonNode> WaitForStatusAsync(this PenguinMailsFactory app, HttpClient client, string id, string status,
        TimeSpan? advance = null)
    {
        if (advance is { } by)
        {
            app.Advance(by);
        }

        JsonNode? email = null;
        await PenguinMailsFactory.Eventually(async () =>
        {
            app.Services.GetRequiredService<DispatchSignal>().Notify();
            email = await client.EmailAsync(id);
            return email["status"]!.GetValue<string>() == status;
        }, $"{id} is {status} (last seen: {email?["status"]}, {email?["last_error"]})", 20_000);
        return email!;
    }

    public static List<string> EventTypes(this JsonNode email) =>
        email["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToList();

    public static object Simple(string to, string subject = "Hello", string? html = "<p>Hi</p>", string? text = "Hi") =>
        new { from = "Sender <sender@example.com>", to, subject, html_body = html, text_body = text };
}
