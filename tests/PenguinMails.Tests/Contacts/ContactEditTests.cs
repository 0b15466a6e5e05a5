using System.Net.Http.Json;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

public abstract class ContactEditTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task Patch_ChangesFieldsTagsAndAttributes()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "p@example.com", first_name = "A", attributes = new { a = 1, b = 2 }, tags = new[] { "x", "y" } }))["id"]!.ToString();
        var patched = await (await client.PatchAsJsonAsync($"/api/v1/contacts/{id}", new
        {
            email = "New@Example.com", first_name = "", status = "unsubscribed",
            attributes = new Dictionary<string, object?> { ["a"] = null, ["c"] = "three" },
            tags = new[] { "y", "z" }, add_tags = new[] { "w" }, remove_tags = new[] { "z" },
        })).DataAsync();
        Assert.Equal("New@Example.com", patched["email"]!.GetValue<string>());
        Assert.Null(patched["first_name"]);
        Assert.Equal("unsubscribed", patched["status"]!.GetValue<string>());
        Assert.Equal(["b", "c"], patched["attributes"]!.AsObject().Select(a => a.Key));
        Assert.Equal(["w", "y"], patched["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(id, (await client.UpsertAsync(new { email = "new@example.com" }, 200))["id"]!.ToString());
    }

    [Fact]
    public async Task Patch_ToAnotherContactsAddress_IsConflict()
    {
        var client = await app.ContactsClientAsync();
        await client.UpsertAsync(new { email = "taken@example.com" });
        var id = (await client.UpsertAsync(new { email = "other@example.com" }))["id"]!.ToString();
        var response = await client.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { email = "TAKEN@example.com" });
        await response.ErrorAsync(409, "RESOURCE_CONFLICT");
    }

    [Fact]
    public async Task Patch_ResubscribeComplained_NeedsForce()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "c@example.com", status = "complained" }))["id"]!.ToString();
        await (await client.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { status = "subscribed" })).ErrorAsync(409, "RESOURCE_CONFLICT");
        var forced = await (await client.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { status = "subscribed", force = true })).DataAsync();
        Assert.Equal("subscribed", forced["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_RemovesTheContact()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "d@example.com", attributes = new { a = 1 }, tags = new[] { "t" } }))["id"]!.ToString();
        var deleted = await (await client.DeleteAsync($"/api/v1/contacts/{id}")).DataAsync();
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        await (await client.GetAsync($"/api/v1/contacts/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await client.DeleteAsync($"/api/v1/contacts/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        Assert.Empty((await (await client.GetAsync("/api/v1/contacts/tags")).DataAsync()).AsArray());
    }

    [Fact]
    public async Task AnotherTenantsContact_IsNotFoundEverywhere()
    {
        var owner = await app.ContactsClientAsync();
        var id = (await owner.UpsertAsync(new { email = "mine@example.com", tags = new[] { "secret" } }))["id"]!.ToString();
        var other = await app.ContactsClientAsync();
        await (await other.GetAsync($"/api/v1/contacts/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await other.PatchAsJsonAsync($"/api/v1/contacts/{id}", new { first_name = "x" })).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await other.DeleteAsync($"/api/v1/contacts/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await other.GetAsync($"/api/v1/contacts/{id}/export")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await other.PostAsync($"/api/v1/contacts/{id}/erase", null)).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        Assert.Empty(await other.EmailsAsync(""));
        Assert.Empty((await (await other.GetAsync("/api/v1/contacts/tags")).DataAsync()).AsArray());
        var created = await other.UpsertAsync(new { email = "mine@example.com" });
        Assert.NotEqual(id, created["id"]!.ToString());
        Assert.Equal("mine@example.com", (await owner.GetContactAsync(id))["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadOnlyKey_CanReadButNotWriteImportOrErase()
    {
        var tenant = await app.CreateTenantAsync(PenguinMails.Tenancy.Plan.Business);
        var (writer, _) = await app.CreateKeyAsync(tenant, ContactTestKit.AllContactPermissions);
        var id = (await app.Client(writer).UpsertAsync(new { email = "ro@example.com" }))["id"]!.ToString();
        var (reader, _) = await app.CreateKeyAsync(tenant, [PenguinMails.ApiKeys.Permissions.ContactsRead]);
        var client = app.Client(reader);
        Assert.Single(await client.EmailsAsync(""));
        Assert.Contains("ro@example.com", await client.GetStringAsync("/api/v1/contacts/export"));
        await (await client.GetAsync($"/api/v1/contacts/{id}/export")).DataAsync();
        var import = await (await client.ImportAsync("email\nx@example.com\n", "text/csv")).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        Assert.Equal("contacts:write", import["details"]![0]!["permission"]!.GetValue<string>());
        var erase = await (await client.PostAsync($"/api/v1/contacts/{id}/erase", null)).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        Assert.Equal("contacts:delete", erase["details"]![0]!["permission"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportBodyLimit_AppliesToImportOnly()
    {
        var client = await app.ContactsClientAsync();
        var big = System.Text.Json.JsonSerializer.Serialize(new[] { new { email = "big@example.com", first_name = new string('x', 70_000) } });
        var content = new StringContent(big[1..^1], System.Text.Encoding.UTF8, "application/json");
        await (await client.PostAsync("/api/v1/contacts", content)).ErrorAsync(413, "PAYLOAD_TOO_LARGE");
        var report = await (await client.ImportAsync(big, "application/json")).DataAsync();
        Assert.Contains("first_name", report["errors"]![0]!["errors"]![0]!.GetValue<string>());
    }
}

public sealed class ContactEditSqliteTests(SqliteFactory app) : ContactEditTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactEditPostgresTests(PostgresFactory app) : ContactEditTests(app), IClassFixture<PostgresFactory>;
