using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Suppressions;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Suppressions;

/// <summary>/api/v1/suppressions through HTTP, and the scoped list the senders consult.</summary>
public abstract class SuppressionsApiTests(PenguinMailsFactory app)
{
    private const string Root = "/api/v1/suppressions";

    private async Task<(Guid Tenant, HttpClient Client)> ManagerAsync()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.ContactsRead, Permissions.ContactsWrite, Permissions.ContactsDelete]);
        return (tenant, app.Client(key));
    }

    [Fact]
    public async Task Add_Get_Remove_RoundTrip_NormalizesTheAddress()
    {
        var (_, client) = await ManagerAsync();

        var added = await (await client.PostJsonAsync(Root, new { email = "Ann <Ann@Example.COM>", reason = "hard_bounce" })).DataAsync(201);
        Assert.Equal("ann@example.com", added["suppression"]!["email"]!.GetValue<string>());
        Assert.False(added["already_suppressed"]!.GetValue<bool>());

        var read = await (await client.GetAsync($"{Root}/ANN@example.com")).DataAsync();
        Assert.Equal("hard_bounce", read["reason"]!.GetValue<string>());
        Assert.Equal("api", read["source"]!.GetValue<string>());

        await (await client.DeleteAsync($"{Root}/ann@example.com")).DataAsync();
        await (await client.GetAsync($"{Root}/ann@example.com")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await client.DeleteAsync($"{Root}/ann@example.com")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task Add_ExistingAddress_KeepsTheFirstReason_AndSaysSo()
    {
        var (_, client) = await ManagerAsync();
        await (await client.PostJsonAsync(Root, new { email = "bo@example.com", reason = "complaint" })).DataAsync(201);

        var again = await (await client.PostJsonAsync(Root, new { email = "BO@example.com", reason = "unsubscribe" })).DataAsync(200);

        Assert.True(again["already_suppressed"]!.GetValue<bool>());
        Assert.Equal("complaint", again["suppression"]!["reason"]!.GetValue<string>());
        Assert.Equal("Already suppressed for complaint; the first reason is kept.", again["message"]!.GetValue<string>());
        Assert.Single((await (await client.GetAsync(Root)).DataAsync()).AsArray());
        await (await client.PostJsonAsync(Root, new { email = "cy@example.com", reason = "hard_bounce" })).DataAsync(201);
        var batch = await (await client.PostJsonAsync(Root, new { emails = new[] { "cy@example.com" } })).DataAsync(200);
        Assert.Contains("for hard_bounce;", batch.ToJsonString(), StringComparison.Ordinal); // the API's word, not HardBounce
    }

    /// <summary>A body's enum takes the API's word exactly, as query strings do: not the C# member's name in any case.</summary>
    [Theory]
    [InlineData("hardBounce", "did you mean hard_bounce?")]
    [InlineData("HardBounce", "did you mean hard_bounce?")]
    [InlineData("Manual", "did you mean manual?")]
    [InlineData("UNSUBSCRIBE", "did you mean unsubscribe?")]
    [InlineData("HARD_BOUNCE", "did you mean hard_bounce?")]
    [InlineData("bounced", "reason must be one of hard_bounce, complaint, unsubscribe, manual")]
    public async Task Add_AReasonNotWrittenAsTheApiWritesIt_IsRefusedAtReason(string reason, string message)
    {
        var (_, client) = await ManagerAsync();

        var error = await (await client.PostJsonAsync(Root, new { email = "dee@example.com", reason })).ErrorAsync(400, "VALIDATION_ERROR");

        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal("reason", detail["field"]!.GetValue<string>());
        Assert.Contains(message, detail["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await (await client.GetAsync($"{Root}/dee@example.com")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task AddSeveral_CountsAddedAndExisting()
    {
        var (_, client) = await ManagerAsync();
        await (await client.PostJsonAsync(Root, new { email = "c@example.com" })).DataAsync(201);

        var result = await (await client.PostJsonAsync(Root, new { emails = new[] { "a@example.com", "b@example.com", "C@example.com", "a@example.com" }, reason = "unsubscribe" })).DataAsync();

        // One result per address given, in order: the second "a@example.com" finds the first one's row.
        Assert.Equal(2, result["added"]!.GetValue<int>());
        Assert.Equal(2, result["already_suppressed"]!.GetValue<int>());
        var results = result["results"]!.AsArray();
        Assert.Equal(["a@example.com", "b@example.com", "c@example.com", "a@example.com"],
            results.Select(r => r!["suppression"]!["email"]!.GetValue<string>()));
        Assert.Equal([false, false, true, true], results.Select(r => r!["already_suppressed"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task AddSeveral_InvalidAddresses_AreAllListed_AndNothingIsAdded()
    {
        var (_, client) = await ManagerAsync();

        var error = await (await client.PostJsonAsync(Root, new { emails = new[] { "ok@example.com", "nope", "a@@b.com", "x@" } })).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal(["emails[1]", "emails[2]", "emails[3]"], error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()));
        Assert.Empty((await (await client.GetAsync(Root)).DataAsync()).AsArray());
    }

    [Fact]
    public async Task Add_NeitherOrBoth_IsValidationError()
    {
        var (_, client) = await ManagerAsync();

        await (await client.PostJsonAsync(Root, new { reason = "manual" })).ErrorAsync(400, "VALIDATION_ERROR");
        await (await client.PostJsonAsync(Root, new { email = "a@example.com", emails = new[] { "b@example.com" } })).ErrorAsync(400, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task List_FiltersByReason_SearchesAndPages()
    {
        var (_, client) = await ManagerAsync();
        await (await client.PostJsonAsync(Root, new { emails = new[] { "one@example.com", "two@example.com" }, reason = "hard_bounce" })).DataAsync();
        app.Advance(TimeSpan.FromSeconds(1));
        await (await client.PostJsonAsync(Root, new { email = "three@other.org", reason = "manual" })).DataAsync(201);

        var bounces = await (await client.GetAsync($"{Root}?reason=hard_bounce")).DataAsync();
        Assert.Equal(2, bounces.AsArray().Count);
        var searched = await (await client.GetAsync($"{Root}?search=OTHER.org")).DataAsync();
        Assert.Equal("three@other.org", Assert.Single(searched.AsArray())!["email"]!.GetValue<string>());

        var first = await (await client.GetAsync($"{Root}?limit=2")).BodyAsync();
        Assert.Equal("three@other.org", first["data"]![0]!["email"]!.GetValue<string>());
        var cursor = first["meta"]!["pagination"]!["next_cursor"]!.GetValue<string>();
        Assert.Single((await (await client.GetAsync($"{Root}?limit=2&cursor={cursor}")).DataAsync()).AsArray());
        await (await client.GetAsync($"{Root}?reason=bounced")).ErrorAsync(400, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task OtherTenant_CannotReadOrRemove()
    {
        var (_, owner) = await ManagerAsync();
        var (strangerTenant, stranger) = await ManagerAsync();
        await (await owner.PostJsonAsync(Root, new { email = "private@example.com" })).DataAsync(201);

        await (await stranger.GetAsync($"{Root}/private@example.com")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await stranger.DeleteAsync($"{Root}/private@example.com")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        Assert.Empty((await (await stranger.GetAsync(Root)).DataAsync()).AsArray());
        Assert.False(await app.InTenantAsync(strangerTenant, sp => sp.GetRequiredService<SuppressionList>().IsSuppressedAsync("private@example.com", default)));
        await (await owner.GetAsync($"{Root}/private@example.com")).DataAsync();
    }

    [Fact]
    public async Task ConcurrentAddAsync_OfOneAddress_LeavesOneRow()
    {
        var tenant = await app.CreateTenantAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => app.InTenantAsync(tenant, async sp =>
        {
            await sp.GetRequiredService<SuppressionList>().AddAsync(
                "Race@Example.com", i == 0 ? SuppressionReason.HardBounce : SuppressionReason.Complaint, default);
            return true;
        })));

        var rows = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().Suppressions.Where(s => s.Email == "race@example.com").ToListAsync());
        Assert.Single(rows);
        Assert.Equal("system", rows[0].Source);
    }

    [Fact]
    public async Task SuppressedAmong_FindsOnlySuppressed_IgnoringCase()
    {
        var tenant = await app.CreateTenantAsync();

        var found = await app.InTenantAsync(tenant, async sp =>
        {
            var list = sp.GetRequiredService<SuppressionList>();
            await list.AddAsync("gone@example.com", SuppressionReason.Unsubscribe, default);
            return (Among: await list.SuppressedAmongAsync(["GONE@example.com", "here@example.com", "not an address"], default),
                Single: await list.IsSuppressedAsync(" Gone@Example.com ", default));
        });

        Assert.Equal(["gone@example.com"], found.Among);
        Assert.Contains("GONE@example.com", found.Among);
        Assert.True(found.Single);
    }
}

public sealed class SuppressionsApiSqliteTests(SqliteFactory app) : SuppressionsApiTests(app), IClassFixture<SqliteFactory>;

public sealed class SuppressionsApiPostgresTests(PostgresFactory app) : SuppressionsApiTests(app), IClassFixture<PostgresFactory>;
