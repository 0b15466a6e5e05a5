using System.Net.Http.Json;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Contacts;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// One address rule wherever an address comes in (<c>EmailAddresses</c>): a contact, an import row and a suppression may
/// be only what a send may reach. Contacts were once checked by System.Net.Mail, which took <c>a.@example.com</c> — an
/// address MimeKit cannot parse — so a campaign to such a contact failed at delivery, again and again until its deadline.
/// </summary>
public sealed class AddressRuleTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    /// <summary>Addresses no relay would take: a local part ending in a dot, and domains that are not host names.</summary>
    public static TheoryData<string> Undeliverable =>
    [
        "a.@example.com", "a@b_c.com", "a@exa%mple.com", "a@exam!ple.com", "ab@b\u00a0c.com", "a@-example.com", "a@example-.com",
        "a@b.c-", "a@ex~ample.com", "a@exam'ple.com",
    ];

    /// <summary>Unusual but deliverable: every entry point takes them.</summary>
    public static TheoryData<string> Deliverable =>
    [
        "o'brien@example.com", "a+tag@example.com", "{a}@example.com", "\"quoted\"@example.com", "ä@bücher.de", "a@xn--bcher-kva.de",
        "a@[192.0.2.1]", "a@localhost", "x_y@sub-domain.example.com",
    ];

    [Theory]
    [MemberData(nameof(Undeliverable))]
    public async Task AnAddressNoRelayCouldTake_IsRefusedAlike_BySendsContactsImportsAndSuppressions(string address)
    {
        var client = await ClientAsync();
        var send = await (await client.PostJsonAsync("/api/v1/emails/send", new { from = "s@example.com", to = address, subject = "s", text_body = "t" }))
            .ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal("to[0]", Assert.Single(send["details"]!.AsArray())!["field"]!.GetValue<string>());
        await (await client.PostJsonAsync("/api/v1/emails/send", new { from = address, to = "r@example.com", subject = "s", text_body = "t" }))
            .ErrorAsync(400, "VALIDATION_ERROR");
        await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = address })).ErrorAsync(400, "VALIDATION_ERROR");
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = address, reason = "manual" })).ErrorAsync(400, "VALIDATION_ERROR");

        var ok = $"ok-{Guid.NewGuid():N}@example.com";
        var report = await (await client.PostAsJsonAsync("/api/v1/contacts/import", new[] { new { email = address }, new { email = ok } })).DataAsync();
        Assert.Equal((1, 1), (report["created"]!.GetValue<int>(), report["failed"]!.GetValue<int>()));
        Assert.Equal(address, report["errors"]![0]!["email"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Deliverable))]
    public async Task AnUnusualButDeliverableAddress_IsTakenAlike_BySendsContactsImportsAndSuppressions(string address)
    {
        var client = await ClientAsync();
        await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = address })).DataAsync(201);
        var imported = await (await client.PostAsJsonAsync("/api/v1/contacts/import", new[] { new { email = address } })).DataAsync();
        Assert.Equal(0, imported["failed"]!.GetValue<int>());
        await client.SendAsync(new { from = "s@example.com", to = address, subject = "s", text_body = "t" });
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = address, reason = "manual" })).DataAsync(201);
    }

    private async Task<HttpClient> ClientAsync()
    {
        var tenant = await app.CreateTenantAsync(Tenancy.Plan.Business);
        var (key, _) = await app.CreateKeyAsync(tenant, [.. ContactTestKit.AllContactPermissions, Permissions.EmailsSend]);
        return app.Client(key);
    }
}
