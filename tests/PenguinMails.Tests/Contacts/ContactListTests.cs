using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

public abstract class ContactListTests(PenguinMailsFactory app)
{
    private async Task<HttpClient> SeededAsync()
    {
        var client = await app.ContactsClientAsync();
        await client.UpsertAsync(new { email = "carol@example.com", attributes = new { plan = "pro", seats = 5 }, tags = new[] { "vip" } });
        app.Advance(TimeSpan.FromMinutes(1));
        await client.UpsertAsync(new { email = "alice@example.com", attributes = new { plan = "free" }, status = "unsubscribed" });
        app.Advance(TimeSpan.FromMinutes(1));
        await client.UpsertAsync(new { email = "bob@sample.org", attributes = new { plan = "pro", vip = true }, tags = new[] { "vip", "beta" } });
        return client;
    }

    [Fact]
    public async Task List_DefaultOrder_IsNewestFirst()
    {
        var client = await SeededAsync();
        Assert.Equal(["bob@sample.org", "alice@example.com", "carol@example.com"], await client.EmailsAsync(""));
    }

    [Theory]
    [InlineData("?status=unsubscribed", "alice@example.com")]
    [InlineData("?tag=VIP&sort=email", "bob@sample.org,carol@example.com")]
    [InlineData("?attribute[plan]=pro&sort=email", "bob@sample.org,carol@example.com")]
    [InlineData("?attribute[plan]=pro&attribute[seats]=5", "carol@example.com")]
    [InlineData("?attribute[vip]=true", "bob@sample.org")]
    [InlineData("?search=EXAMPLE.com&sort=email&order=desc", "carol@example.com,alice@example.com")]
    [InlineData("?sort=updated_at&order=asc", "carol@example.com,alice@example.com,bob@sample.org")]
    public async Task List_Filters_MatchOnlyTheirContacts(string query, string expected)
    {
        var client = await SeededAsync();
        Assert.Equal(expected.Split(','), await client.EmailsAsync(query));
    }

    [Fact]
    public async Task List_CreatedRange_AfterIsInclusiveBeforeExclusive()
    {
        var start = app.Clock.GetUtcNow();
        var client = await SeededAsync();
        var (after, before) = (start.AddMinutes(1).ToString("O"), start.AddMinutes(2).ToString("O"));
        Assert.Equal(["alice@example.com"], await client.EmailsAsync(
            $"?created_after={Uri.EscapeDataString(after)}&created_before={Uri.EscapeDataString(before)}"));
    }

    [Fact]
    public async Task List_Pages_WalkEveryContactOnce()
    {
        var client = await SeededAsync();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var response = await client.GetAsync($"/api/v1/contacts?sort=email&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            var body = await response.BodyAsync();
            seen.AddRange(body["data"]!.AsArray().Select(c => c!["email"]!.GetValue<string>()));
            cursor = body["meta"]!["pagination"]!["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(["alice@example.com", "bob@sample.org", "carol@example.com"], seen);
    }

    [Theory]
    [InlineData("?status=gone", "status")]
    [InlineData("?sort=name", "sort")]
    [InlineData("?created_after=yesterday", "created_after")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?cursor=garbage", "cursor")]
    public async Task List_BadParameters_AreValidationErrors(string query, string field)
    {
        var client = await app.ContactsClientAsync();
        var error = await (await client.GetAsync("/api/v1/contacts" + query)).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal(field, error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tags_ListsEachTagWithItsCount()
    {
        var client = await SeededAsync();
        var tags = await (await client.GetAsync("/api/v1/contacts/tags")).DataAsync();
        Assert.Equal([("vip", 2), ("beta", 1)],
            tags.AsArray().Select(t => (t!["tag"]!.GetValue<string>(), t["count"]!.GetValue<int>())));
    }
}

public sealed class ContactListSqliteTests(SqliteFactory app) : ContactListTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactListPostgresTests(PostgresFactory app) : ContactListTests(app), IClassFixture<PostgresFactory>;
