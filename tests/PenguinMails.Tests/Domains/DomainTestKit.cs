using System.Text.Json.Nodes;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Domains;

/// <summary>Adding, publishing and verifying sending domains through the API, as a tenant's developer does.</summary>
public static class DomainTestKit
{
    public static readonly string[] KeyPermissions =
        [Permissions.DomainsRead, Permissions.DomainsWrite, Permissions.EmailsSend, Permissions.CampaignsWrite, Permissions.CampaignsRead];

    /// <summary>A name no other test uses: <c>label-0123456789.test</c>.</summary>
    public static string Unique(string label) => $"{label}-{Guid.NewGuid().ToString("N")[..10]}.test";

    public static async Task<(HttpClient Live, HttpClient Test)> ClientsAsync(this PenguinMailsFactory app, Guid tenant)
    {
        var (live, _) = await app.CreateKeyAsync(tenant, KeyPermissions);
        var (test, _) = await app.CreateKeyAsync(tenant, KeyPermissions, environment: "test");
        return (app.Client(live), app.Client(test));
    }

    public static async Task<JsonNode> AddDomainAsync(this HttpClient client, string name) =>
        await (await client.PostJsonAsync("/api/v1/domains", new { name })).DataAsync(201);

    public static async Task<JsonNode> VerifyDomainAsync(this HttpClient client, JsonNode domain) =>
        await (await client.PostAsync($"/api/v1/domains/{domain["id"]}/verify", null)).DataAsync();

    public static async Task<JsonNode> DomainAsync(this HttpClient client, JsonNode domain) =>
        await (await client.GetAsync($"/api/v1/domains/{domain["id"]}")).DataAsync();

    /// <summary>Publishes each record the API asked for (all of them unless <paramref name="purposes"/> narrows it).</summary>
    public static void PublishRecords(this DnsServer dns, JsonNode domain, params string[] purposes)
    {
        foreach (var record in domain["records"]!.AsArray())
        {
            if (purposes.Length == 0 || purposes.Contains(record!["purpose"]!.GetValue<string>()))
            {
                dns.Publish(record!["host"]!.GetValue<string>(), record["type"]!.GetValue<string>(), record["value"]!.GetValue<string>());
            }
        }
    }

    /// <summary>A domain added, published and verified for the client's tenant.</summary>
    public static async Task<JsonNode> VerifiedDomainAsync(this HttpClient client, DnsServer dns, string name)
    {
        var added = await client.AddDomainAsync(name);
        dns.PublishRecords(added);
        var verified = await client.VerifyDomainAsync(added);
        Assert.True(verified["verified"]!.GetValue<bool>(), verified.ToJsonString());
        return verified["domain"]!;
    }

    public static JsonNode Record(this JsonNode domain, string purpose) =>
        domain["records"]!.AsArray().Single(r => r!["purpose"]!.GetValue<string>() == purpose)!;

    public static string Status(this JsonNode node) => node["status"]!.GetValue<string>();
}
