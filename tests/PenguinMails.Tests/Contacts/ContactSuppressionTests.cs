using System.Net.Http.Json;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

/// <summary>Contact status and the suppression list follow each other, both ways.</summary>
public abstract class ContactSuppressionTests(PenguinMailsFactory app)
{
    [Theory]
    [InlineData("unsubscribed", "unsubscribe")]
    [InlineData("bounced", "hard_bounce")]
    [InlineData("complained", "complaint")]
    public async Task ContactStatus_AddsTheAddressToTheList(string status, string reason)
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "Follow@Example.com" }))["id"]!.ToString();
        await (await client.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { status })).DataAsync();
        var entry = await (await client.GetAsync("/api/v1/suppressions/follow@example.com")).DataAsync();
        Assert.Equal(reason, entry["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("complaint", "complained")]
    [InlineData("hard_bounce", "bounced")]
    [InlineData("manual", "unsubscribed")]
    public async Task Suppressing_GivesTheContactTheMatchingStatus(string reason, string status)
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "listed@example.com" }))["id"]!.ToString();
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = "LISTED@example.com", reason })).DataAsync(201);
        Assert.Equal(status, (await client.GetContactAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task NewContact_ForASuppressedAddress_TakesItsStatus()
    {
        var client = await app.ContactsClientAsync();
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = "early@example.com", reason = "hard_bounce" })).DataAsync(201);
        var created = await client.UpsertAsync(new { email = "early@example.com" });
        Assert.Equal("bounced", created["status"]!.GetValue<string>());
        await (await client.PostAsJsonAsync("/api/v1/contacts", new { email = "early@example.com", status = "subscribed" })).ErrorAsync(409, "RESOURCE_CONFLICT");
    }

    [Fact]
    public async Task Resubscribe_RemovesAManualEntry()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "back@example.com" }))["id"]!.ToString();
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = "back@example.com", reason = "manual" })).DataAsync(201);
        var patched = await (await client.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { status = "subscribed" })).DataAsync();
        Assert.Equal("subscribed", patched["status"]!.GetValue<string>());
        await (await client.GetAsync("/api/v1/suppressions/back@example.com")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task Resubscribe_AfterAHardBounceEntry_NeedsForce()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "hb@example.com", status = "unsubscribed" }))["id"]!.ToString();
        await (await client.PostAsJsonAsync("/api/v1/suppressions", new { email = "other-hb@example.com", reason = "hard_bounce" })).DataAsync(201);
        await client.UpsertAsync(new { email = "other-hb@example.com" });
        var other = (await (await client.GetAsync("/api/v1/contacts?search=other-hb")).DataAsync())[0]!["id"]!.ToString();
        await (await client.PatchAsJsonAsync($"/api/v1/contacts/{other}", new { status = "subscribed" })).ErrorAsync(409, "RESOURCE_CONFLICT");
        await (await client.GetAsync("/api/v1/suppressions/other-hb@example.com")).DataAsync();
        await (await client.PatchAsJsonAsync($"/api/v1/contacts/{other}", new { status = "subscribed", force = true })).DataAsync();
        await (await client.GetAsync("/api/v1/suppressions/other-hb@example.com")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await client.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { status = "subscribed" })).DataAsync();
        await (await client.GetAsync("/api/v1/suppressions/hb@example.com")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task PersonalDataExport_IncludesTheSuppressionEntry_WhichErasureKeeps()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "gone@example.com", status = "unsubscribed" }))["id"]!.ToString();
        var export = await (await client.GetAsync($"/api/v1/contacts/{id}/export")).DataAsync();
        Assert.Equal("unsubscribe", export["suppression"]!["reason"]!.GetValue<string>());
        await (await client.PostAsync($"/api/v1/contacts/{id}/erase", null)).DataAsync();
        await (await client.GetAsync("/api/v1/suppressions/gone@example.com")).DataAsync();
    }
}

public sealed class ContactSuppressionSqliteTests(SqliteFactory app) : ContactSuppressionTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactSuppressionPostgresTests(PostgresFactory app) : ContactSuppressionTests(app), IClassFixture<PostgresFactory>;
