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
        "a@[192.0.2.1]", "a@localhost", "x_y@sub-domain.example.com", "\"two words\"@example.com", "\"a\\\"b\"@example.com",
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

    /// <summary>Spellings of one mailbox, and the one each entry point keeps: a quoted local part that can be bare, an
    /// internationalized domain in capitals, in full-width letters or as punycode, a trailing dot after the domain.</summary>
    public static TheoryData<string, string> OneMailbox => new()
    {
        { "\"victim\"@example.com", "victim@example.com" },
        { "\"o.k\"@example.com", "o.k@example.com" },
        { "a@BÜCHER.example", "a@bücher.example" },
        { "a@xn--bcher-kva.example", "a@bücher.example" },
        { "a@\uFF25\uFF38\uFF21\uFF2D\uFF30\uFF2C\uFF25.com", "a@example.com" },
        { "a@ex\u00ADample.net", "a@example.net" },
        { "a@example.com.", "a@example.com" },
        { "\"two words\"@example.com", "\"two words\"@example.com" },
    };

    /// <summary>A suppression, a contact and a send of one mailbox agree however it is spelled: "victim"@example.com once
    /// passed a suppression of victim@example.com, and a@BÜCHER.example was sent to xn--bcher-2pa, a domain nobody owns.</summary>
    [Theory]
    [MemberData(nameof(OneMailbox))]
    public async Task EverySpellingOfAMailbox_IsKeptAsOne_BySendsContactsAndSuppressions(string spelling, string canonical)
    {
        var client = await ClientAsync();
        var suppression = await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = spelling, reason = "manual" })).DataAsync(201);
        Assert.Equal(canonical.ToLowerInvariant(), suppression["suppression"]!["email"]!.GetValue<string>());

        var id = await client.SendAsync(new { from = "s@example.com", to = spelling, subject = "s", text_body = "t" });
        var recipient = (await client.EmailAsync(id))["recipients"]![0]!;
        Assert.Equal(canonical, recipient["address"]!.GetValue<string>());
        Assert.Equal(canonical.ToLowerInvariant(), recipient["email"]!.GetValue<string>());

        var contact = await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = spelling })).DataAsync(201);
        Assert.Equal(canonical, contact["email"]!.GetValue<string>());
        var again = await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = canonical })).DataAsync(200); // an upsert
        Assert.Equal((contact["id"]!.GetValue<string>(), false), (again["id"]!.GetValue<string>(), again["created"]!.GetValue<bool>()));
    }

    private async Task<HttpClient> ClientAsync()
    {
        var tenant = await app.CreateTenantAsync(Tenancy.Plan.Business);
        var (key, _) = await app.CreateKeyAsync(tenant, [.. ContactTestKit.AllContactPermissions, Permissions.EmailsSend]);
        return app.Client(key);
    }
}
