using System.Net.Http.Json;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Contacts;

public abstract class ContactUpsertTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task Upsert_NewAddress_Creates201WithCreatedTrue()
    {
        var client = await app.ContactsClientAsync();
        var response = await client.PostAsJsonAsync("/api/v1/contacts",
            new { email = "Lead@Example.com", first_name = "Ada", attributes = new { source = "signup_form" }, tags = new[] { "VIP", "beta" } });
        var data = await response.DataAsync(201);
        Assert.True(data["created"]!.GetValue<bool>());
        Assert.Equal("Lead@Example.com", data["email"]!.GetValue<string>());
        Assert.Equal("subscribed", data["status"]!.GetValue<string>());
        Assert.Equal("signup_form", data["attributes"]!["source"]!.GetValue<string>());
        Assert.Equal(["beta", "vip"], data["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal($"/api/v1/contacts/{data["id"]}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Upsert_SameAddressOtherCase_Updates200AndMergesAttributes()
    {
        var client = await app.ContactsClientAsync();
        var first = await client.UpsertAsync(new { email = "merge@example.com", first_name = "Ada", last_name = "L",
            attributes = new { plan = "free", source = "form", score = 3 }, tags = new[] { "a" } });
        var second = await client.UpsertAsync(new
        {
            email = "MERGE@example.com", last_name = "",
            attributes = new Dictionary<string, object?> { ["plan"] = "pro", ["source"] = null, ["nested"] = new { x = 1 } },
            tags = new[] { "b" },
        }, 200);
        Assert.False(second["created"]!.GetValue<bool>());
        Assert.Equal(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.Equal("MERGE@example.com", second["email"]!.GetValue<string>());
        Assert.Equal("Ada", second["first_name"]!.GetValue<string>());
        Assert.Null(second["last_name"]);
        var attributes = second["attributes"]!.AsObject();
        Assert.Equal(["nested", "plan", "score"], attributes.Select(a => a.Key).Order());
        Assert.Equal("pro", attributes["plan"]!.GetValue<string>());
        Assert.Equal(3, attributes["score"]!.GetValue<int>());
        Assert.Equal(1, attributes["nested"]!["x"]!.GetValue<int>());
        Assert.Equal(["a", "b"], second["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task Upsert_InvalidFields_AnswersValidationErrorPerField()
    {
        var client = await app.ContactsClientAsync();
        var response = await client.PostAsJsonAsync("/api/v1/contacts", new
        {
            email = "not an address", status = "gone", tags = new[] { "" },
            attributes = new Dictionary<string, object> { [new string('k', 65)] = 1, ["long"] = new string('v', 600) },
        });
        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        var fields = error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("email", fields);
        Assert.Contains("status", fields);
        Assert.Contains("tags", fields);
        Assert.Equal(2, fields.Count(f => f == "attributes"));
    }

    [Fact]
    public async Task Upsert_WithoutEmail_IsMissingRequiredField()
    {
        var client = await app.ContactsClientAsync();
        var response = await client.PostAsJsonAsync("/api/v1/contacts", new { first_name = "x" });
        await response.ErrorAsync(400, "MISSING_REQUIRED_FIELD");
    }

    [Fact]
    public async Task Upsert_Concurrently_OneContactWithEveryAttribute()
    {
        var client = await app.ContactsClientAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.PostAsJsonAsync("/api/v1/contacts",
            new { email = i % 2 == 0 ? "race@example.com" : "RACE@example.com", attributes = new Dictionary<string, int> { [$"k{i}"] = i }, tags = new[] { $"t{i % 3}" } })));
        Assert.All(responses, r => Assert.True((int)r.StatusCode is 200 or 201, $"answered {(int)r.StatusCode}"));
        Assert.Equal(1, responses.Count(r => (int)r.StatusCode == 201));
        var list = await (await client.GetAsync("/api/v1/contacts?search=race@")).DataAsync();
        var contact = Assert.Single(list.AsArray())!;
        Assert.Equal(20, contact["attributes"]!.AsObject().Count);
        Assert.Equal(["t0", "t1", "t2"], contact["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task Upsert_ResubscribeBounced_NeedsForce()
    {
        var client = await app.ContactsClientAsync();
        await client.UpsertAsync(new { email = "bounce@example.com", status = "bounced" });
        var refused = await client.PostAsJsonAsync("/api/v1/contacts", new { email = "bounce@example.com", status = "subscribed" });
        var error = await refused.ErrorAsync(409, "RESOURCE_CONFLICT");
        Assert.Contains("force", error["message"]!.GetValue<string>());
        var forced = await client.UpsertAsync(new { email = "bounce@example.com", status = "subscribed", force = true }, 200);
        Assert.Equal("subscribed", forced["status"]!.GetValue<string>());
    }
}

public sealed class ContactUpsertSqliteTests(SqliteFactory app) : ContactUpsertTests(app), IClassFixture<SqliteFactory>;

public sealed class ContactUpsertPostgresTests(PostgresFactory app) : ContactUpsertTests(app), IClassFixture<PostgresFactory>;
