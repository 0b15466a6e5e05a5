using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

/// <summary>
/// The NUL character in a CSV import's column name, which PostgreSQL stores in no text (it failed the import with a
/// 500 there) and a JSON import refuses in a key: the file is refused before anything is written, naming the column.
/// A NUL in a cell fails its row through the upsert rules (Http/InputKindsTests).
/// </summary>
public abstract class ContactImportNulTests(PenguinMailsFactory app)
{
    [Theory]
    [InlineData("email,a\0b\nimp27@example.com,x\n", 2, "a\\0b")]
    [InlineData("email,first_name,attributes.\0\nimp28@example.com,Ann,x\n", 3, "attributes.\\0")]
    [InlineData("em\0ail;plan\nimp29@example.com;pro\n", 1, "em\\0ail")]
    public async Task ImportCsv_NulInAColumnName_IsRefusedNamingTheColumn_NothingWritten(string csv, int column, string shown)
    {
        var client = await app.ContactsClientAsync();

        var error = await (await client.ImportAsync(csv, "text/csv")).ErrorAsync(400, "VALIDATION_ERROR");

        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal("file", detail["field"]!.GetValue<string>());
        var message = detail["message"]!.GetValue<string>();
        Assert.Contains($"Column {column} of the header row ('{shown}')", message);
        Assert.Contains("NUL", message);
        Assert.DoesNotContain("\0", message);
        Assert.Empty(await client.EmailsAsync(""));
    }
}

public sealed class ContactImportNulSqliteTests(SqliteFactory app) : ContactImportNulTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactImportNulPostgresTests(PostgresFactory app) : ContactImportNulTests(app), IClassFixture<PostgresFactory>;
