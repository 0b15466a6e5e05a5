using System.Net.Http.Json;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

/// <summary>
/// One mailbox, one tag: the precomposed and the decomposed spelling of the same text (NFC and NFD, RFC 6532 §3.1) are
/// one contact, one suppression, one recipient and one tag. They were two: an address suppressed as <c>mañana@…</c>
/// (NFC) was sent mail as <c>mañana@…</c> (NFD), and <c>GET /contacts/tags</c> listed "café" twice. A compatibility
/// singleton (KELVIN SIGN) is the letter it stands for, in the address kept as in the one matched.
/// </summary>
public abstract class UnicodeSpellingTests(PenguinMailsFactory app)
{
    private const string Composed = "ma\u00F1ana@example.com"; // ñ, one code point
    private const string Decomposed = "man\u0303ana@example.com"; // n and a combining tilde: the server runs without .NET's normalization

    [Fact]
    public async Task BothSpellingsOfAnAddress_AreOneContact()
    {
        var client = await app.EveryPermissionClientAsync();
        Assert.NotEqual(Composed, Decomposed);

        var first = await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = Composed })).DataAsync(201);
        var again = await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = Decomposed })).DataAsync(200);

        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal(Composed, again["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task KelvinSign_IsTheLetterK_InTheAddressKeptAsInTheOneMatched()
    {
        var client = await app.EveryPermissionClientAsync();
        var kate = await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = "kate@example.com" })).DataAsync(201);

        var kelvin = await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = "\u212Aate@example.com" })).DataAsync(200);

        Assert.Equal(kate["id"]!.GetValue<string>(), kelvin["id"]!.GetValue<string>());
        Assert.Equal("Kate@example.com", kelvin["email"]!.GetValue<string>()); // ASCII: any relay carries it
    }

    [Fact]
    public async Task BothSpellingsOfAnAddress_AreOneSuppression_AndASendToEitherIsToTheSameRecipient()
    {
        var client = await app.EveryPermissionClientAsync();
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = Composed })).DataAsync(201);

        var again = await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = Decomposed })).DataAsync(200);
        Assert.True(again["already_suppressed"]!.GetValue<bool>());
        await (await client.GetAsync($"/api/v1/suppressions/{Uri.EscapeDataString(Decomposed)}")).DataAsync();

        var sent = await (await client.PostAsJsonAsync("/api/v1/emails/send", EmailTestKit.Simple(Decomposed))).DataAsync();
        Assert.Equal(Composed, sent["to"]!.GetValue<string>());
        var found = await (await client.GetAsync($"/api/v1/emails?recipient={Uri.EscapeDataString(Composed)}")).DataAsync();
        Assert.Equal(sent["id"]!.GetValue<string>(), Assert.Single(found.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task BothSpellingsOfATag_AreOneTag_InContactsAndInACampaignsAudience()
    {
        var client = await app.EveryPermissionClientAsync();
        const string Cafe = "caf\u00E9";
        const string DecomposedCafe = "cafe\u0301";
        await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = "a@example.com", tags = new[] { Cafe } })).DataAsync(201);
        await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = "b@example.com", tags = new[] { DecomposedCafe } })).DataAsync(201);

        var tags = await (await client.GetAsync("/api/v1/contacts/tags")).DataAsync();
        var tag = Assert.Single(tags.AsArray());
        Assert.Equal(Cafe, tag!["tag"]!.GetValue<string>());
        Assert.Equal(2, tag["count"]!.GetValue<int>());

        var campaign = await (await client.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "C", from = "news@example.com", subject = "Hi", html_body = "<p>Hi</p>",
            audience = new { tags = new[] { DecomposedCafe } },
        })).DataAsync(201);
        Assert.Equal(Cafe, campaign["audience"]!["tags"]![0]!.GetValue<string>());
    }
}

public sealed class UnicodeSpellingSqliteTests(SqliteFactory app) : UnicodeSpellingTests(app), IClassFixture<SqliteFactory>;

public sealed class UnicodeSpellingPostgresTests(PostgresFactory app) : UnicodeSpellingTests(app), IClassFixture<PostgresFactory>;
