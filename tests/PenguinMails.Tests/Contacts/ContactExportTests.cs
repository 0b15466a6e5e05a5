using System.Net.Http.Json;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

public abstract class ContactExportTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task ExportCsv_ImportsBackIntoAnotherTenantUnchanged()
    {
        var source = await app.ContactsClientAsync();
        await source.UpsertAsync(new { email = "e1@example.com", first_name = "Eve", last_name = "Quote \"Q\", Esq.", tags = new[] { "a", "b" },
            attributes = new Dictionary<string, object> { ["plan"] = "pro", ["status"] = "gold", ["note"] = "line1\nline2" } });
        await source.UpsertAsync(new { email = "e2@example.com", status = "unsubscribed" });
        var response = await source.GetAsync("/api/v1/contacts/export");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("id,email,first_name,last_name,status,tags,created_at,updated_at,note,plan,attributes.status\r\n", csv);

        var target = await app.ContactsClientAsync();
        var report = await (await target.ImportAsync(csv, "text/csv")).DataAsync();
        Assert.Equal(2, report["created"]!.GetValue<int>());
        var before = await (await source.GetAsync("/api/v1/contacts?sort=email")).DataAsync();
        var after = await (await target.GetAsync("/api/v1/contacts?sort=email")).DataAsync();
        foreach (var field in new[] { "email", "first_name", "last_name", "status", "attributes", "tags" })
        {
            Assert.Equal(Fields(before, field), Fields(after, field));
        }
    }

    [Fact]
    public async Task ExportCsv_StreamsMoreThanOnePage()
    {
        var client = await app.ContactsClientAsync();
        var rows = Enumerable.Range(0, 2500).Select(i => new { email = $"p{i}@example.com" });
        var report = await (await client.PostAsJsonAsync("/api/v1/contacts/import", rows)).DataAsync();
        Assert.Equal(2500, report["created"]!.GetValue<int>());
        var lines = (await client.GetStringAsync("/api/v1/contacts/export")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2501, lines.Length);
        Assert.Equal(2500, lines.Skip(1).Select(l => l.Split(',')[1]).Distinct().Count());
    }

    [Fact]
    public async Task PersonalDataExport_HoldsTheContact()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "gdpr@example.com", attributes = new { plan = "pro" }, tags = new[] { "t" } }))["id"]!.ToString();
        var export = await (await client.GetAsync($"/api/v1/contacts/{id}/export")).DataAsync();
        Assert.Equal("gdpr@example.com", export["contact"]!["email"]!.GetValue<string>());
        Assert.Equal("pro", export["contact"]!["attributes"]!["plan"]!.GetValue<string>());
        Assert.NotNull(export["exported_at"]);
    }

    [Fact]
    public async Task Erase_RemovesContactAttributesAndTags()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "forget@example.com", attributes = new { a = 1, b = 2 }, tags = new[] { "t" } }))["id"]!.ToString();
        var erased = await (await client.PostAsync($"/api/v1/contacts/{id}/erase", null)).DataAsync();
        Assert.Equal(2, erased["removed"]!["attributes"]!.GetValue<int>());
        Assert.Equal(1, erased["removed"]!["tags"]!.GetValue<int>());
        await (await client.GetAsync($"/api/v1/contacts/{id}/export")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        Assert.Empty(await client.EmailsAsync("?attribute[a]=1"));
        Assert.DoesNotContain("forget@", await client.GetStringAsync("/api/v1/contacts/export"));
    }

    [Fact]
    public async Task PersonalData_ReachesMessages_ExportListsThem_EraseAnonymisesAndCancelsWhatIsPending()
    {
        var tenant = await app.CreateTenantAsync(PenguinMails.Tenancy.Plan.Business);
        var (key, _) = await app.CreateKeyAsync(tenant, [.. ContactTestKit.AllContactPermissions, PenguinMails.ApiKeys.Permissions.EmailsSend]);
        var client = app.Client(key);
        var id = (await client.UpsertAsync(new { email = "Person@Example.com" }))["id"]!.ToString();
        var later = app.Clock.GetUtcNow().AddDays(1);
        var alone = await SendAsync(client, new { to = "person@example.com", from = "shop@example.org", subject = "Your order 42",
            text_body = "Hello Person", scheduled_at = later });
        var shared = await SendAsync(client, new { to = "friend@example.net", cc = new[] { "Person <person@example.com>" },
            from = "shop@example.org", subject = "Party", text_body = "Both of you", scheduled_at = later });
        await SendAsync(client, new { to = "stranger@example.net", from = "shop@example.org", subject = "Not theirs", text_body = "x" });

        var export = await (await client.GetAsync($"/api/v1/contacts/{id}/export")).DataAsync();
        var messages = export["messages"]!.AsArray();
        Assert.Equal([alone, shared], messages.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("Your order 42", messages[0]!["subject"]!.GetValue<string>());
        Assert.Equal("cc", messages[1]!["recipients"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("queued", messages[0]!["events"]![0]!["type"]!.GetValue<string>());

        var erased = await (await client.PostAsync($"/api/v1/contacts/{id}/erase", null)).DataAsync();
        Assert.Equal(2, erased["removed"]!["messages_anonymised"]!.GetValue<int>());

        var first = await (await client.GetAsync($"/api/v1/emails/{alone}")).DataAsync();
        Assert.Equal("cancelled", first["status"]!.GetValue<string>());
        Assert.Equal("[erased]", first["subject"]!.GetValue<string>());
        var second = await (await client.GetAsync($"/api/v1/emails/{shared}")).DataAsync();
        Assert.Equal("queued", second["status"]!.GetValue<string>()); // still due to the friend
        var addresses = second["recipients"]!.AsArray().Select(r => r!["email"]!.GetValue<string>()).ToList();
        Assert.Contains("friend@example.net", addresses);
        Assert.DoesNotContain(addresses, a => a.Contains("person", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("cancelled", second["recipients"]!.AsArray().Single(r => r!["email"]!.GetValue<string>() != "friend@example.net")!["status"]!.GetValue<string>());
        Assert.DoesNotContain("person@example.com", await client.GetStringAsync("/api/v1/emails?limit=100"), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> SendAsync(HttpClient client, object body) =>
        (await (await client.PostAsJsonAsync("/api/v1/emails/send", body)).DataAsync())["id"]!.GetValue<string>();

    private static List<string> Fields(System.Text.Json.Nodes.JsonNode list, string field) =>
        list.AsArray().Select(c => c![field]?.ToJsonString() ?? "null").ToList();
}

public sealed class ContactExportSqliteTests(SqliteFactory app) : ContactExportTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactExportPostgresTests(PostgresFactory app) : ContactExportTests(app), IClassFixture<PostgresFactory>;
