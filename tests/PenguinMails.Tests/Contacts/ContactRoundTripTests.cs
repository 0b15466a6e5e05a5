using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

/// <summary>
/// What a contact holds comes back as it was given, through every path: a file's encoding is read from its byte
/// order mark, a broken CSV quote never swallows the rows after it, tags and numbers survive an export and a filter,
/// and no value stored can break the responses that carry it.
/// </summary>
public abstract class ContactRoundTripTests(PenguinMailsFactory app)
{
    [Theory]
    [InlineData("utf-16LE", "")]
    [InlineData("utf-16BE", "")]
    [InlineData("utf-8", "")]
    [InlineData("utf-16BE", "; charset=utf-16")]
    public async Task ImportCsv_ByteOrderMarkWithoutACharset_NamesTheEncoding(string encoding, string charset)
    {
        var client = await app.ContactsClientAsync();
        var text = Encoding.GetEncoding(encoding);
        byte[] body = [.. text.GetPreamble(), .. text.GetBytes("email,first_name\r\nbom@example.com,Jürgen 😀\r\n")];
        var report = await (await client.ImportBytesAsync(body, "text/csv" + charset)).DataAsync();
        Assert.Equal((1, 0), (report["created"]!.GetValue<int>(), report["failed"]!.GetValue<int>()));
        var contact = (await (await client.GetAsync("/api/v1/contacts")).DataAsync())[0]!;
        Assert.Equal(("bom@example.com", "Jürgen 😀"), (contact["email"]!.GetValue<string>(), contact["first_name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ImportCsv_UnterminatedQuoteInTheFirstRow_RefusedNamingItsLineNothingWritten()
    {
        var client = await app.ContactsClientAsync();
        var csv = "email,first_name\nunt0@example.com,\"abc\n" + string.Concat(Enumerable.Range(1, 1000).Select(i => $"ok{i}@example.com,N\n"));
        var error = await (await client.ImportAsync(csv, "text/csv")).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains("Line 2 ", error.ToJsonString());
        Assert.Empty(await client.EmailsAsync(""));
    }

    [Theory]
    [InlineData("email,\"first_name\nx@example.com,A\n", "Line 1 ", 0)]
    [InlineData("email,note\na@example.com,\"two\nlines\"\nb@example.com,x\nc@example.com,\"y\"\"\nd@example.com,z\n", "Line 5 ", 2)]
    [InlineData("email,note\na@example.com,x\nb@example.com,\"open\n", "Line 3 ", 1)]
    public async Task ImportCsv_UnterminatedQuote_StopsNamingTheLineItOpensOn(string csv, string line, int imported)
    {
        var client = await app.ContactsClientAsync();
        var response = await client.ImportAsync(csv, "text/csv");
        var error = await response.ErrorAsync(400, imported == 0 ? "VALIDATION_ERROR" : "IMPORT_STOPPED");
        Assert.Contains(line, error.ToJsonString());
        Assert.Equal(imported, (await client.EmailsAsync("")).Count);
    }

    [Fact]
    public async Task ImportCsv_UnterminatedQuoteBeforeMoreThanARecordsLimit_StopsNamingTheLine()
    {
        var client = await app.ContactsClientAsync();
        var csv = "email,note\na@example.com,x\nb@example.com,\"open\n" + string.Concat(Enumerable.Range(1, 60_000).Select(i => $"ok{i}@example.com,N\n"));
        var error = await (await client.ImportAsync(csv, "text/csv")).ErrorAsync(400, "IMPORT_STOPPED");
        Assert.Contains("line 3", error.ToJsonString());
        Assert.Equal(["a@example.com"], await client.EmailsAsync(""));
    }

    [Fact]
    public async Task ExportThenImport_Tags_ComeBackExactly_SeparatorsRefusedInTags()
    {
        var source = await app.ContactsClientAsync();
        string[] tags = ["a,b", "quote\"d", "x y", "ünï"];
        await source.UpsertAsync(new { email = "t@example.com", tags });
        var refused = await (await source.PostAsJsonAsync("/api/v1/contacts", new { email = "t@example.com", tags = new[] { "a|b" } })).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains("';' or '|'", refused.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        var target = await app.ContactsClientAsync();
        var csv = await source.GetStringAsync("/api/v1/contacts/export");
        Assert.Equal(1, (await (await target.ImportAsync(csv, "text/csv")).DataAsync())["created"]!.GetValue<int>());
        var back = (await (await target.GetAsync("/api/v1/contacts")).DataAsync())[0]!["tags"]!.AsArray().Select(t => t!.GetValue<string>());
        Assert.Equal(tags.Order(StringComparer.Ordinal), back);
    }

    [Fact]
    public async Task Attributes_Numbers_StoredInOneFormThatTheFilterFinds()
    {
        var client = await app.ContactsClientAsync();
        var body = """{"email":"n@example.com","attributes":{"a":-0,"b":1.50,"c":15e-1,"d":1E3,"e":123456789012345678901234567890,"f":-0.000000125}}""";
        await (await client.PostAsync("/api/v1/contacts", new StringContent(body, Encoding.UTF8, "application/json"))).DataAsync(201);
        var attributes = (await (await client.GetAsync("/api/v1/contacts")).DataAsync())[0]!["attributes"]!;
        Assert.Equal("""{"a":0,"b":1.5,"c":1.5,"d":1000,"e":1.2345678901234567890123456789e+29,"f":-1.25e-7}""", attributes.ToJsonString());
        foreach (var query in new[] { "a]=0", "a]=-0", "b]=1.5", "b]=1.50", "c]=1.5", "d]=1000", "d]=1e3", "f]=-1.25e-7" })
        {
            Assert.Equal(["n@example.com"], await client.EmailsAsync("?attribute[" + query));
        }
    }

    [Fact]
    public async Task Attributes_NestedDeeperThanTheLimit_RefusedEverywhereAndListsStillAnswer()
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "deep@example.com", attributes = new { ok = JsonNode.Parse(Nested(16)) } }))["id"]!.GetValue<string>();
        foreach (var depth in new[] { 17, 61 })
        {
            var body = """{"email":"deep@example.com","attributes":{"d":""" + Nested(depth) + "}}";
            var post = await client.PostAsync("/api/v1/contacts", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Contains("16 levels", (await post.ErrorAsync(400, "VALIDATION_ERROR")).ToJsonString());
            var patch = await client.PatchAsync($"/api/v1/contacts/{id}", new StringContent("""{"attributes":{"d":""" + Nested(depth) + "}}", Encoding.UTF8, "application/json"));
            await patch.ErrorAsync(400, "VALIDATION_ERROR");
            var report = await (await client.ImportAsync("[" + body + "]", "application/json")).DataAsync();
            Assert.Contains("16 levels", report["errors"]![0]!.ToJsonString());
        }

        Assert.Equal(["deep@example.com"], await client.EmailsAsync(""));
        await (await client.GetAsync($"/api/v1/contacts/{id}/export")).DataAsync();
        Assert.Contains("deep@example.com", await client.GetStringAsync("/api/v1/contacts/export"));
    }

    /// <summary>Arrays and objects nested <paramref name="depth"/> levels deep.</summary>
    private static string Nested(int depth) =>
        string.Concat(Enumerable.Range(0, depth).Select(i => i % 2 == 0 ? "[" : "{\"k\":")) + "1"
        + string.Concat(Enumerable.Range(0, depth).Reverse().Select(i => i % 2 == 0 ? "]" : "}"));
}

public sealed class ContactRoundTripSqliteTests(SqliteFactory app) : ContactRoundTripTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactRoundTripPostgresTests(PostgresFactory app) : ContactRoundTripTests(app), IClassFixture<PostgresFactory>;
