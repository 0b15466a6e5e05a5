using System.Net.Http.Headers;
using System.Text;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

/// <summary>
/// The text of an import file reaches the database as it was written, or not at all: invalid JSON text fails its
/// row, bytes that are not the file's encoding are refused with their line, separators are found, never guessed wrong.
/// </summary>
public abstract class ContactImportTextTests(PenguinMailsFactory app)
{
    public static TheoryData<string, string> InvalidJsonRows => new()
    {
        { "application/json", """{"email":"\ud800@example.com"}""" },
        { "application/json", """{"email":"names@example.com","first_name":"\udc00"}""" },
        { "application/json", """{"email":"attr@example.com","attributes":{"note":"a\ud800"}}""" },
        { "application/json", """{"email":"nested@example.com","attributes":{"deep":{"x":["\udfff"]}}}""" },
        { "application/json", """{"email":"key@example.com","attributes":{"\ud800":"v"}}""" },
        { "application/json", """{"email":"huge@example.com","attributes":{"n":1e309}}""" },
        { "application/json", """{"email":["list@example.com"]}""" },
        { "application/x-ndjson", """{"email":"\ud800@example.com"}""" },
        { "application/x-ndjson", """{"email":"attr@example.com","attributes":{"note":"a\ud800"}}""" },
        { "application/x-ndjson", """{"email":"huge@example.com","attributes":{"n":-1e309}}""" },
        { "application/x-ndjson", """{"email":"deep@example.com","attributes":{"d":""" + new string('[', 70) + new string(']', 70) + "}}" },
        { "application/x-ndjson", """{"email":"esc@example.com","first_name":"\x"}""" },
        { "application/json", """{"email":"name@example.com","\udc00":1}""" },
        { "application/json", """{"email":"name@example.com","\ud800\ud800":1}""" },
        { "application/json", """{"email":"name@example.com","emai\udc00":1}""" },
        { "application/json", """{"em\udc00ail":"x"}""" },
        { "application/json", """{"email":"name@example.com","attributes":{"o":{"k\ud800":1}}}""" },
        { "application/x-ndjson", """{"email":"name@example.com","\udc00":1}""" },
        { "application/x-ndjson", """{"em\udc00ail":"x"}""" },
        { "application/json", """{"email":"tiny@example.com","attributes":{"n":1e-400}}""" },
        { "application/x-ndjson", """{"email":"tiny@example.com","attributes":{"n":[-1e-400]}}""" },
        { "application/json", """{"email":"deep@example.com","attributes":{"d":""" + new string('[', 17) + new string(']', 17) + "}}" },
        { "application/x-ndjson", """{"email":"deep@example.com","attributes":{"d":""" + new string('[', 61) + new string(']', 61) + "}}" },
        { "application/json", """{"email":"tag@example.com","tags":["a|b"]}""" },
        { "application/x-ndjson", """{"email":"tag@example.com","tags":["vip","a;b"]}""" },
    };

    [Theory]
    [MemberData(nameof(InvalidJsonRows))]
    public async Task ImportJsonRows_InvalidTextOrNumbers_FailThatRowAndImportTheOthers(string type, string bad)
    {
        var client = await app.ContactsClientAsync();
        string[] rows = ["""{"email":"first@example.com"}""", bad, """{"email":"last@example.com"}"""];
        var body = type == "application/json" ? "[" + string.Join(",\n", rows) + "]" : string.Join("\n", rows);
        var report = await (await client.ImportAsync(body, type)).DataAsync();
        Assert.Equal((3, 2, 1), (report["total"]!.GetValue<int>(), report["created"]!.GetValue<int>(), report["failed"]!.GetValue<int>()));
        var error = report["errors"]![0]!;
        Assert.Equal(2, error["row"]!.GetValue<int>());
        Assert.DoesNotContain("System.", error.ToJsonString());
        Assert.Equal(["first@example.com", "last@example.com"], await client.EmailsAsync("?sort=email"));
    }

    [Fact]
    public async Task ImportJsonArray_NestedTooDeep_StopsWithWhereNot500()
    {
        var client = await app.ContactsClientAsync();
        var body = """[{"email":"first@example.com"},""" + "\n" + """{"email":"deep@example.com","attributes":{"d":"""
            + new string('[', 70) + new string(']', 70) + "}}]";
        var error = await (await client.ImportAsync(body, "application/json")).ErrorAsync(400, "IMPORT_STOPPED");
        Assert.Contains("line 2", Said(error));
    }

    [Theory]
    [InlineData("POST", "/api/v1/contacts", """{"email":"u@example.com","attributes":{"note":"\ud800"}}""")]
    [InlineData("POST", "/api/v1/contacts", """{"email":"u@example.com","attributes":{"n":1e309}}""")]
    [InlineData("POST", "/api/v1/contacts", """{"email":"u@example.com","first_name":"\ud800"}""")]
    [InlineData("PATCH", "/api/v1/contacts/{id}", """{"attributes":{"note":{"deep":"\udc00"}}}""")]
    [InlineData("PATCH", "/api/v1/contacts/{id}", """{"last_name":"\udc00"}""")]
    [InlineData("POST", "/api/v1/contacts", """{"email":"u@example.com","\udc00":1}""")]
    [InlineData("POST", "/api/v1/contacts", """{"em\udc00ail":"u@example.com"}""")]
    [InlineData("PATCH", "/api/v1/contacts/{id}", """{"\ud800\ud800":1}""")]
    [InlineData("POST", "/api/v1/contacts", """{"email":"u@example.com","attributes":{"n":1e-400}}""")]
    [InlineData("PATCH", "/api/v1/contacts/{id}", """{"attributes":{"n":{"x":-2.5e-999}}}""")]
    [InlineData("POST", "/api/v1/contacts", """{"email":"u@example.com","tags":["a|b"]}""")]
    [InlineData("PATCH", "/api/v1/contacts/{id}", """{"tags":["a;b"]}""")]
    [InlineData("PATCH", "/api/v1/contacts/{id}", """{"add_tags":["x|y"]}""")]
    public async Task ContactBodies_InvalidTextOrNumbers_AreValidationErrorsNot500(string method, string path, string body)
    {
        var client = await app.ContactsClientAsync();
        var id = (await client.UpsertAsync(new { email = "existing@example.com" }))["id"]!.GetValue<string>();
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", id))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var response = await client.SendAsync(request);
        Assert.Equal(400, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("System.", text);
        Assert.Equal(["existing@example.com"], await client.EmailsAsync(""));
    }

    private static readonly byte[] Windows1252Csv =
        [.. "email,first_name,last_name\r\ncp0@example.com,Ada,Lovelace\r\ncp1@example.com,J"u8, 0xFC, .. "rgen,M"u8, 0xFC, .. "ller\r\n"u8];

    [Theory]
    [InlineData("text/csv")]
    [InlineData("application/x-ndjson")]
    [InlineData("application/json")]
    public async Task Import_BytesThatAreNotUtf8_RefusedNamingTheLineNothingWritten(string type)
    {
        var client = await app.ContactsClientAsync();
        byte[] second = [.. "{\"email\":\"cp1@example.com\",\"first_name\":\"J"u8, 0xFC, .. "rgen\"}"u8];
        var body = type switch
        {
            "text/csv" => Windows1252Csv,
            "application/json" => [.. "[{\"email\":\"cp0@example.com\"},\n"u8, .. second, .. "]"u8],
            _ => [.. "{\"email\":\"cp0@example.com\"}\n"u8, .. second],
        };
        var error = await (await client.ImportBytesAsync(body, type)).ErrorAsync(400, "VALIDATION_ERROR");
        var message = Said(error);
        Assert.Contains(type == "text/csv" ? "Line 3 " : "Line 2 ", message);
        Assert.Contains("charset=windows-1252", message);
        Assert.Empty(await client.EmailsAsync(""));
    }

    [Fact]
    public async Task ImportCsv_BytesThatAreNotUtf8AfterTheFirstBatch_StopWithTheLineAndWhatWasImported()
    {
        var client = await app.ContactsClientAsync();
        var rows = Enumerable.Range(0, 1500).Select(i => $"ok{i}@example.com,Name\n");
        byte[] body = [.. Encoding.UTF8.GetBytes("email,first_name\n" + string.Concat(rows)), .. "bad@example.com,J"u8, 0xFC, .. "rgen\n"u8];
        var error = await (await client.ImportBytesAsync(body, "text/csv")).ErrorAsync(400, "IMPORT_STOPPED");
        var message = Said(error);
        Assert.Contains("Line 1502 ", message);
        Assert.Contains("1500 created", message);
        Assert.Empty(await client.EmailsAsync("?search=bad@"));
    }

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("iso-8859-1")]
    [InlineData("utf-16")]
    [InlineData("utf-8")]
    public async Task ImportCsv_NamedCharset_IsHonoured(string charset)
    {
        var client = await app.ContactsClientAsync();
        var encoding = charset == "windows-1252" ? CodePagesEncoding() : Encoding.GetEncoding(charset);
        byte[] body = [.. encoding.GetPreamble(), .. encoding.GetBytes("email,first_name,last_name\r\ncp1@example.com,Jürgen,Müller\r\n")];
        var report = await (await client.ImportBytesAsync(body, $"text/csv; charset={charset}")).DataAsync();
        Assert.Equal(1, report["created"]!.GetValue<int>());
        var contact = (await (await client.GetAsync("/api/v1/contacts")).DataAsync())[0]!;
        Assert.Equal(("Jürgen", "Müller"), (contact["first_name"]!.GetValue<string>(), contact["last_name"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("klingon")]
    [InlineData("utf-7")]
    [InlineData("UTF-7")]
    public async Task Import_CharsetUnknownOrRefusedByTheRuntime_Is415NamingIt(string charset)
    {
        var client = await app.ContactsClientAsync();
        var error = await (await client.ImportBytesAsync("email\nx@example.com\n"u8.ToArray(), $"text/csv; charset={charset}")).ErrorAsync(415, "UNSUPPORTED_MEDIA_TYPE");
        Assert.Contains($"'{charset}'", Said(error));
    }

    /// <summary>
    /// Every reader of a body reads a charset label alike: a JSON body and the three import formats accept the same
    /// spellings and encodings (once, `text/csv; charset=utf8` was 415 while a JSON body took it) and refuse the same.
    /// </summary>
    [Theory]
    [InlineData("utf8", 65001)]
    [InlineData("UTF_8", 65001)]
    [InlineData("\"utf-8\"", 65001)]
    [InlineData("windows-1252", 1252)]
    [InlineData("latin1", 28591)]
    [InlineData("utf16", 1200)]
    [InlineData("UTF16LE", 1200)]
    [InlineData("utf-16be", 1201)]
    [InlineData("klingon", 0)]
    [InlineData("utf7", 0)]
    public async Task EveryBodyReader_ReadsACharsetLabelAlike(string charset, int codePage)
    {
        var client = await app.ContactsClientAsync();
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var encoding = Encoding.GetEncoding(codePage == 0 ? 65001 : codePage);
        var bodies = new (string Type, string Path, string Text)[]
        {
            ("application/json", "/api/v1/contacts", $$"""{"email": "{{charset.Length}}j@example.com", "first_name": "Jürgen"}"""),
            ("application/json", "/api/v1/contacts/import", $$"""[{"email": "{{charset.Length}}a@example.com", "first_name": "Jürgen"}]"""),
            ("application/x-ndjson", "/api/v1/contacts/import", $$"""{"email": "{{charset.Length}}n@example.com", "first_name": "Jürgen"}"""),
            ("text/csv", "/api/v1/contacts/import", $"email,first_name\n{charset.Length}c@example.com,Jürgen\n"),
        };
        foreach (var (type, path, text) in bodies)
        {
            var content = new ByteArrayContent(encoding.GetBytes(text));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse($"{type}; charset={charset}");

            var response = await client.PostAsync(path, content);

            if (codePage == 0)
            {
                var error = await response.ErrorAsync(415, "UNSUPPORTED_MEDIA_TYPE");
                Assert.Contains(charset, Said(error));
                continue;
            }

            Assert.True(response.IsSuccessStatusCode, $"{type} to {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        if (codePage != 0)
        {
            var names = (await (await client.GetAsync("/api/v1/contacts?limit=10")).DataAsync()).AsArray()
                .Select(c => c!["first_name"]!.GetValue<string>()).ToList();
            Assert.Equal(["Jürgen", "Jürgen", "Jürgen", "Jürgen"], names);
        }
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData(',')]
    public async Task ImportCsv_SeparatorOfTheHeaderRow_IsDetected(char separator)
    {
        var client = await app.ContactsClientAsync();
        var s = separator.ToString();
        var csv = $"Email{s}first_name{s}tags{s}note\r\nsep@example.com{s}Zoë{s}\"a;b\"{s}\"x, y\ty\"\r\n";
        var report = await (await client.ImportAsync(csv, "text/csv")).DataAsync();
        Assert.Equal((1, 0), (report["created"]!.GetValue<int>(), report["failed"]!.GetValue<int>()));
        var contact = (await (await client.GetAsync("/api/v1/contacts")).DataAsync())[0]!;
        Assert.Equal("Zoë", contact["first_name"]!.GetValue<string>());
        Assert.Equal(["a", "b"], contact["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("x, y\ty", contact["attributes"]!["note"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("E-Mail Adresse;Name\r\na@example.com;A\r\n", "'E-Mail Adresse', 'Name'", "';'")]
    [InlineData("mail\tname\r\na@example.com\tA\r\n", "'mail', 'name'", "tab")]
    [InlineData("address\r\na@example.com\r\n", "'address'", "','")]
    public async Task ImportCsv_HeaderWithoutEmail_SaysWhatWasFound(string csv, string columns, string separator)
    {
        var client = await app.ContactsClientAsync();
        var error = await (await client.ImportAsync(csv, "text/csv")).ErrorAsync(400, "VALIDATION_ERROR");
        var message = Said(error);
        Assert.Contains(columns, message);
        Assert.Contains(separator, message);
    }

    [Fact]
    public async Task ExportCsv_BomOnRequestOnly_AndUtf8Charset()
    {
        var client = await app.ContactsClientAsync();
        await client.UpsertAsync(new { email = "bom@example.com", first_name = "Jürgen" });
        var plain = await client.GetAsync("/api/v1/contacts/export");
        Assert.Equal("utf-8", plain.Content.Headers.ContentType!.CharSet);
        Assert.Equal((byte)'i', (await plain.Content.ReadAsByteArrayAsync())[0]);
        var withBom = await (await client.GetAsync("/api/v1/contacts/export?bom=true")).Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'i'], withBom[..4]);
        Assert.Contains("Jürgen", Encoding.UTF8.GetString(withBom));
        await (await client.GetAsync("/api/v1/contacts/export?bom=maybe")).ErrorAsync(400, "VALIDATION_ERROR");
    }

    /// <summary>The error's message and the messages of its details: what a person reads.</summary>
    private static string Said(System.Text.Json.Nodes.JsonNode error) =>
        string.Join(" ", [error["message"]!.GetValue<string>(), .. error["details"]!.AsArray().Select(d => d!["message"]!.GetValue<string>())]);

    private static Encoding CodePagesEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}

internal static class ContactImportBytes
{
    public static async Task<HttpResponseMessage> ImportBytesAsync(this HttpClient client, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await client.PostAsync("/api/v1/contacts/import", content);
    }
}

public sealed class ContactImportTextSqliteTests(SqliteFactory app) : ContactImportTextTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactImportTextPostgresTests(PostgresFactory app) : ContactImportTextTests(app), IClassFixture<PostgresFactory>;
