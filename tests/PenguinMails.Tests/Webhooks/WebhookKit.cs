using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Webhooks;

namespace PenguinMails.Tests.Webhooks;

/// <summary>Endpoints and deliveries through the API, and a look at the rows where a client cannot see.</summary>
public static class WebhookKit
{
    public static readonly string[] Permissions =
    [
        PenguinMails.ApiKeys.Permissions.WebhooksRead, PenguinMails.ApiKeys.Permissions.WebhooksWrite, PenguinMails.ApiKeys.Permissions.EmailsSend,
        PenguinMails.ApiKeys.Permissions.ContactsRead, PenguinMails.ApiKeys.Permissions.ContactsWrite, PenguinMails.ApiKeys.Permissions.ContactsDelete,
    ];

    /// <summary>Lets the in-process server deliver to the loopback receiver (set before the first request).</summary>
    public static void AllowLoopback(this PenguinMailsFactory app)
    {
        app.Settings["PenguinMails:Webhooks:AllowedPrivateRanges:0"] = "127.0.0.0/8";
        app.Settings["PenguinMails:Webhooks:AllowedPrivateRanges:1"] = "::1/128";
    }

    public static async Task<(Guid Tenant, HttpClient Client)> TenantAsync(this PenguinMailsFactory app, string environment = "live")
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, Permissions, environment: environment);
        return (tenant, app.Client(key));
    }

    public static async Task<(Guid Id, string Secret)> CreateEndpointAsync(this HttpClient client, string url, string[]? events = null,
        string environment = "live", Dictionary<string, string>? headers = null)
    {
        var data = await (await client.PostJsonAsync("/api/v1/webhooks", new { url, events, environment, headers })).DataAsync(201);
        return (Guid.Parse(data["webhook"]!["id"]!.GetValue<string>()), data["secret"]!.GetValue<string>());
    }

    /// <summary>Sends a plain email; returns its id (msg_...).</summary>
    public static async Task<string> SendEmailAsync(this HttpClient client, string to) =>
        (await (await client.PostJsonAsync("/api/v1/emails/send", new { from = "sender@example.com", to, subject = "Webhook test", text_body = "Hello" }))
            .DataAsync())["id"]!.GetValue<string>();

    public static async Task<JsonNode> UpsertContactAsync(this HttpClient client, string email) =>
        await (await client.PostJsonAsync("/api/v1/contacts", new { email })).DataAsync(201);

    public static async Task<JsonNode> TestEventAsync(this HttpClient client, Guid endpoint) =>
        await (await client.PostAsync($"/api/v1/webhooks/{endpoint}/test", null)).DataAsync(202);

    public static async Task<JsonArray> DeliveriesAsync(this HttpClient client, Guid endpoint, string query = "") =>
        (JsonArray)await (await client.GetAsync($"/api/v1/webhooks/{endpoint}/deliveries{query}")).DataAsync();

    /// <summary>Waits (real time, bounded) until <paramref name="count"/> requests reached <paramref name="path"/>.</summary>
    public static Task WaitForAsync(this WebhookReceiver receiver, string path, int count) =>
        PenguinMailsFactory.Eventually(() => Task.FromResult(receiver.At(path).Count >= count), $"{count} deliveries reached {path}");

    /// <summary>Waits (real time, bounded) until <paramref name="count"/> answers at <paramref name="path"/> were sent whole.</summary>
    public static Task WaitForAnsweredAsync(this WebhookReceiver receiver, string path, int count) =>
        PenguinMailsFactory.Eventually(() => Task.FromResult(receiver.Answered(path) >= count), $"{count} answers left {path}");

    public static async Task<T> RowsAsync<T>(this PenguinMailsFactory app, Func<AppDb, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDb>());
    }

    public static Task<WebhookDelivery> DeliveryAsync(this PenguinMailsFactory app, Guid id) =>
        app.RowsAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == id));

    /// <summary>Waits until the delivery's attempts were recorded <paramref name="attempts"/> times.</summary>
    public static Task<WebhookDelivery> WaitForAttemptsAsync(this PenguinMailsFactory app, Guid id, int attempts) =>
        WaitForAsync(app, id, d => d.Attempts >= attempts, $"delivery {id} made {attempts} attempts");

    public static async Task<WebhookDelivery> WaitForAsync(this PenguinMailsFactory app, Guid id, Func<WebhookDelivery, bool> condition, string what)
    {
        WebhookDelivery? row = null;
        try
        {
            await PenguinMailsFactory.Eventually(async () => condition(row = await app.DeliveryAsync(id)), what);
        }
        catch (TimeoutException e)
        {
            var warnings = app.Logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(l => $"{l.Message} {l.Exception}");
            throw new TimeoutException($"{e.Message} Last: attempts {row?.Attempts}, next {row?.NextAttemptAt:O}, lease {row?.LeaseUntil:O}, now {app.Clock.GetUtcNow():O}. "
                + string.Join("\n", warnings), e);
        }

        return row!;
    }
}
