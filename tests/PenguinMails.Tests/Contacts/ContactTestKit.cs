using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PenguinMails.ApiKeys;
using PenguinMails.Tenancy;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

internal static class ContactTestKit
{
    public static readonly string[] AllContactPermissions =
        [Permissions.ContactsRead, Permissions.ContactsWrite, Permissions.ContactsDelete];

    /// <summary>A new Business-plan tenant (room for many requests) and a client whose key holds every contacts permission.</summary>
    public static async Task<HttpClient> ContactsClientAsync(this PenguinMailsFactory app)
    {
        var tenant = await app.CreateTenantAsync(Plan.Business);
        var (key, _) = await app.CreateKeyAsync(tenant, AllContactPermissions);
        return app.Client(key);
    }

    public static async Task<JsonNode> UpsertAsync(this HttpClient client, object body, int status = 201) =>
        await (await client.PostAsJsonAsync("/api/v1/contacts", body)).DataAsync(status);

    public static async Task<JsonNode> GetContactAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/v1/contacts/{id}")).DataAsync();

    public static async Task<List<string>> EmailsAsync(this HttpClient client, string query)
    {
        var data = await (await client.GetAsync("/api/v1/contacts" + query)).DataAsync();
        return data.AsArray().Select(c => c!["email"]!.GetValue<string>()).ToList();
    }

    public static async Task<HttpResponseMessage> ImportAsync(this HttpClient client, string body, string contentType)
    {
        var content = new StringContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await client.PostAsync("/api/v1/contacts/import", content);
    }
}
