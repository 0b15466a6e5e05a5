using System.Text;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

public abstract class ContactImportTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task ImportCsv_ReportsCountsAndRowErrors()
    {
        var client = await app.ContactsClientAsync();
        await client.UpsertAsync(new { email = "known@example.com", attributes = new { plan = "free", keep = "yes" } });
        const string csv = "email,first_name,last_name,tags,plan,status\n"
            + "new@example.com,Ada,Lovelace,vip;beta,pro,\n"
            + "KNOWN@example.com,,,a|b,pro,\n"
            + "not-an-email,X,,,,\n"
            + "bad@example.com,,,,,gone\n"
            + "short@example.com,only-two\n"
            + "new@example.com,Augusta,,gamma,,\n";
        var report = await (await client.ImportAsync(csv, "text/csv")).DataAsync();
        Assert.Equal((6, 1, 2, 3), (Int(report, "total"), Int(report, "created"), Int(report, "updated"), Int(report, "failed")));
        var errors = report["errors"]!.AsArray();
        Assert.Equal([3, 4, 5], errors.Select(e => e!["row"]!.GetValue<int>()));
        Assert.Equal("not-an-email", errors[0]!["email"]!.GetValue<string>());
        Assert.Contains("status", errors[1]!["errors"]![0]!.GetValue<string>());
        Assert.Contains("fields", errors[2]!["errors"]![0]!.GetValue<string>());

        var created = (await (await client.GetAsync("/api/v1/contacts?search=new@")).DataAsync())[0]!;
        Assert.Equal("Augusta", created["first_name"]!.GetValue<string>());
        Assert.Equal("Lovelace", created["last_name"]!.GetValue<string>());
        Assert.Equal(["beta", "gamma", "vip"], created["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var known = (await (await client.GetAsync("/api/v1/contacts?search=known@")).DataAsync())[0]!;
        Assert.Equal("pro", known["attributes"]!["plan"]!.GetValue<string>());
        Assert.Equal("yes", known["attributes"]!["keep"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportJsonArray_TypesKeptAndBadRowsReported()
    {
        var client = await app.ContactsClientAsync();
        const string json = """
            [{"email":"j1@example.com","attributes":{"age":30,"vip":true},"tags":["x"]},
             {"email":"j2@example.com","tags":"not-a-list"},
             42,
             {"email":"j1@example.com","attributes":{"vip":null}}]
            """;
        var report = await (await client.ImportAsync(json, "application/json")).DataAsync();
        Assert.Equal((4, 1, 1, 2), (Int(report, "total"), Int(report, "created"), Int(report, "updated"), Int(report, "failed")));
        Assert.Equal([2, 3], report["errors"]!.AsArray().Select(e => e!["row"]!.GetValue<int>()));
        var contact = (await (await client.GetAsync("/api/v1/contacts?attribute[age]=30")).DataAsync())[0]!;
        Assert.Equal(["age"], contact["attributes"]!.AsObject().Select(a => a.Key));
    }

    [Fact]
    public async Task ImportNdjson_MalformedLineIsThatRowsError()
    {
        var client = await app.ContactsClientAsync();
        const string ndjson = "{\"email\":\"n1@example.com\"}\n{not json\n\n{\"email\":\"n2@example.com\",\"status\":\"unsubscribed\"}\n";
        var report = await (await client.ImportAsync(ndjson, "application/x-ndjson")).DataAsync();
        Assert.Equal((3, 2, 1), (Int(report, "total"), Int(report, "created"), Int(report, "failed")));
        Assert.Equal(2, report["errors"]![0]!["row"]!.GetValue<int>());
        Assert.Equal(["n2@example.com"], await client.EmailsAsync("?status=unsubscribed"));
    }

    [Theory]
    [InlineData("""{"email":"one@example.com"}""")]
    [InlineData("\"one@example.com\"")]
    [InlineData("  \n  42")]
    public async Task ImportJson_NotAnArrayFromTheStart_IsAValidationErrorOfTheFile(string body)
    {
        var client = await app.ContactsClientAsync();

        var error = await (await client.ImportAsync(body, "application/json")).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("file", error["details"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("must be a JSON array of contact objects", error["details"]![0]!["message"]!.GetValue<string>());
        Assert.Empty(await client.EmailsAsync(""));
    }

    [Fact]
    public async Task ImportJson_MalformedMidway_StopsAndSaysWhatWasImported()
    {
        var client = await app.ContactsClientAsync();
        var response = await client.ImportAsync("[{\"email\":\"m1@example.com\"},{\"email\":", "application/json");
        var error = await response.ErrorAsync(400, "IMPORT_STOPPED");
        Assert.Contains("1 created", error["message"]!.GetValue<string>());
        Assert.Equal(["m1@example.com"], await client.EmailsAsync(""));
    }

    [Theory]
    [InlineData("first_name,last_name\nA,B\n", "text/csv", "VALIDATION_ERROR", 400)]
    [InlineData("", "text/csv", "VALIDATION_ERROR", 400)]
    [InlineData("<contacts/>", "application/xml", "UNSUPPORTED_MEDIA_TYPE", 415)]
    public async Task Import_UnreadableFile_IsRefusedBeforeAnyWrite(string body, string type, string code, int status)
    {
        var client = await app.ContactsClientAsync();
        await (await client.ImportAsync(body, type)).ErrorAsync(status, code);
        Assert.Empty(await client.EmailsAsync(""));
    }

    [Fact]
    public async Task ImportLarge_20000Rows_AllCreatedThenAllUpdated()
    {
        var client = await app.ContactsClientAsync();
        var csv = new StringBuilder("email,first_name,tags,plan\n");
        for (var i = 0; i < 20_000; i++)
        {
            csv.Append($"user{i}@example.com,User {i},{(i % 2 == 0 ? "even" : "odd")},{(i % 10 == 0 ? "pro" : "free")}\n");
        }

        Assert.True(csv.Length > 65_536, "the file is larger than the global body limit the tests set");
        var first = await (await client.ImportAsync(csv.ToString(), "text/csv")).DataAsync();
        Assert.Equal((20_000, 20_000, 0), (Int(first, "total"), Int(first, "created"), Int(first, "failed")));
        var second = await (await client.ImportAsync(csv.ToString(), "text/csv")).DataAsync();
        Assert.Equal((0, 20_000), (Int(second, "created"), Int(second, "updated")));
        var tags = await (await client.GetAsync("/api/v1/contacts/tags")).DataAsync();
        Assert.Equal([10_000, 10_000], tags.AsArray().Select(t => t!["count"]!.GetValue<int>()));
        var page = await (await client.GetAsync("/api/v1/contacts?attribute[plan]=pro&limit=100")).BodyAsync();
        Assert.Equal(100, page["data"]!.AsArray().Count);
        Assert.True(page["meta"]!["pagination"]!["has_more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Import_SameIdempotencyKey_ReplaysTheFirstReport()
    {
        var client = await app.ContactsClientAsync();
        async Task<HttpResponseMessage> Send()
        {
            var content = new StringContent("email,plan\nidem@example.com,pro\n");
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/contacts/import") { Content = content };
            request.Headers.Add("Idempotency-Key", "import-1");
            return await client.SendAsync(request);
        }

        var first = await (await Send()).DataAsync();
        var again = await Send();
        var replay = await again.DataAsync();
        Assert.Equal(1, first["created"]!.GetValue<int>());
        Assert.Equal(1, replay["created"]!.GetValue<int>());
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["idem@example.com"], await client.EmailsAsync(""));
    }

    private static int Int(System.Text.Json.Nodes.JsonNode node, string name) => node[name]!.GetValue<int>();
}

public sealed class ContactImportSqliteTests(SqliteFactory app) : ContactImportTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactImportPostgresTests(PostgresFactory app) : ContactImportTests(app), IClassFixture<PostgresFactory>;
