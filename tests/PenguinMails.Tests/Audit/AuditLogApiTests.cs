using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Audit;

/// <summary>
/// GET /api/v1/platform/audit-log as a client reads it: newest first, filtered by type (repeated or comma-separated),
/// actor and time, cursor pages that stay put while new entries arrive, every wrong parameter named in the error
/// envelope, admin:full only, another tenant's entries never visible; and the retention job on the server's clock.
/// </summary>
public abstract class AuditLogApiTests(PenguinMailsFactory app)
{
    private const string Log = "/api/v1/platform/audit-log";

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private Task<int> SeedAsync(Guid tenant, params (string Type, string Actor, DateTime At)[] events) =>
        app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            db.SecurityEvents.AddRange(events.Select(e => new SecurityEvent
            {
                Type = e.Type, Actor = e.Actor, OccurredAt = e.At, IpAddress = "192.0.2.1", Detail = "seeded",
            }));
            return await db.SaveChangesAsync();
        });

    private async Task<(JsonArray Items, JsonNode Paging)> PageAsync(string key, string query)
    {
        var response = await app.Client(key).GetAsync($"{Log}?{query}");
        var body = await response.BodyAsync();
        await response.DataAsync();
        return (body["data"]!.AsArray(), body["meta"]!["pagination"]!);
    }

    private static List<string> Actors(JsonArray items) => [.. items.Select(i => i!["actor"]!.GetValue<string>())];

    [Fact]
    public async Task Pages_NewestFirst_TheCursorStaysPutWhenNewEntriesArrive()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull], name: "auditor");
        var t = Now.AddDays(-1);
        await SeedAsync(tenant, [.. Enumerable.Range(0, 5).Select(i => (SecurityEventTypes.SignedIn, $"user:p{i}@example.com", t.AddMinutes(i)))]);
        const string only = "type=auth.signed_in&limit=2";

        var (first, firstPaging) = await PageAsync(key, only);
        await SeedAsync(tenant, (SecurityEventTypes.SignedIn, "user:late@example.com", Now));
        var (second, secondPaging) = await PageAsync(key, $"{only}&cursor={firstPaging["next_cursor"]}");
        var (third, thirdPaging) = await PageAsync(key, $"{only}&cursor={secondPaging["next_cursor"]}");
        var (fresh, _) = await PageAsync(key, only);

        Assert.Equal(["user:p4@example.com", "user:p3@example.com"], Actors(first));
        Assert.Equal(["user:p2@example.com", "user:p1@example.com"], Actors(second));
        Assert.Equal(["user:p0@example.com"], Actors(third));
        Assert.True(firstPaging["has_more"]!.GetValue<bool>());
        Assert.False(thirdPaging["has_more"]!.GetValue<bool>());
        Assert.Null(thirdPaging["next_cursor"]?.GetValue<string>());
        Assert.Equal("user:late@example.com", Actors(fresh)[0]);
        var item = first[0]!;
        Assert.Equal(["id", "type", "actor", "detail", "ip", "user_agent", "api_key_id", "occurred_at"],
            item.AsObject().Select(p => p.Key));
        Assert.EndsWith("Z", item["occurred_at"]!.GetValue<string>());
        Assert.Equal(t.AddMinutes(4), DateTime.Parse(item["occurred_at"]!.GetValue<string>(), null, System.Globalization.DateTimeStyles.RoundtripKind));
        Assert.Equal("192.0.2.1", item["ip"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filters_ByTypesActorAndTime()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull], name: "auditor");
        var t = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        await SeedAsync(tenant,
            (SecurityEventTypes.SignInFailed, "user:a@example.com", t),
            (SecurityEventTypes.LockedOut, "user:a@example.com", t.AddHours(1)),
            (SecurityEventTypes.KeyRevoked, "user:b@example.com", t.AddHours(2)),
            (SecurityEventTypes.UserRemoved, "cli", t.AddHours(3)));

        var repeated = await PageAsync(key, "type=auth.sign_in_failed&type=auth.locked_out");
        var commas = await PageAsync(key, "type=auth.sign_in_failed,%20auth.locked_out,api_key.revoked&actor=user:a@example.com");
        var window = await PageAsync(key, "from=2026-06-01T14:00:00%2B01:00&to=2026-06-01T14:00:00Z");
        var cli = await PageAsync(key, "actor=cli");

        Assert.Equal(["auth.locked_out", "auth.sign_in_failed"], repeated.Items.Select(i => i!["type"]!.GetValue<string>()));
        Assert.Equal(["user:a@example.com", "user:a@example.com"], Actors(commas.Items));
        Assert.Equal(["auth.locked_out"], window.Items.Select(i => i!["type"]!.GetValue<string>())); // from inclusive, to exclusive
        Assert.Equal(["user.removed"], cli.Items.Select(i => i!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task WrongParameters_Are400_NamingEach()
    {
        var (_, key, _) = await AdminFullAsync();

        var error = await (await app.Client(key).GetAsync(
            $"{Log}?type=auth.nope&limit=0&from=2026-06-01&to=2026-06-01T10:00:00Z&cursor=not-a-cursor&actor=%20")).ErrorAsync(400, "VALIDATION_ERROR");
        var backwards = await (await app.Client(key).GetAsync(
            $"{Log}?from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z")).ErrorAsync(400, "VALIDATION_ERROR");
        var notANumber = await (await app.Client(key).GetAsync($"{Log}?limit=ten")).ErrorAsync(400, "VALIDATION_ERROR");

        var fields = error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()).ToList();
        Assert.Equal(["actor", "cursor", "from", "limit", "type"], fields.Order());
        Assert.Contains("auth.nope", error["details"]!.AsArray().Single(d => d!["field"]!.GetValue<string>() == "type")!["message"]!.GetValue<string>());
        Assert.Equal("to", backwards["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("limit", notANumber["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task AKeyWithoutAdminFull_Is403()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, Permissions.All.Where(p => p != Permissions.AdminFull));

        var error = await (await app.Client(key).GetAsync(Log)).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");

        Assert.Equal(Permissions.AdminFull, error["details"]![0]!["permission"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherTenantsEntries_AreNeverVisible()
    {
        var (mine, key, _) = await AdminFullAsync();
        var theirs = await app.CreateTenantAsync();
        var marker = $"user:other{Guid.NewGuid():N}@example.com";
        await SeedAsync(theirs, (SecurityEventTypes.SignedIn, marker, Now));
        await SeedAsync(mine, (SecurityEventTypes.SignedIn, "user:me@example.com", Now));

        var all = await PageAsync(key, "limit=100");
        var byActor = await PageAsync(key, $"actor={Uri.EscapeDataString(marker)}");

        Assert.DoesNotContain(marker, Actors(all.Items));
        Assert.Contains("user:me@example.com", Actors(all.Items));
        Assert.Empty(byActor.Items);
    }

    [Fact]
    public async Task Retention_TheJobDeletesEntriesOlderThanAYear_OnTheServersClock_EvenRunTwiceAtOnce()
    {
        var (tenant, key, _) = await AdminFullAsync();
        await SeedAsync(tenant,
            [.. Enumerable.Range(0, 30).Select(i => (SecurityEventTypes.SignedIn, $"user:old{i}@example.com", Now.AddDays(-366).AddMinutes(-i))),
            (SecurityEventTypes.SignedIn, "user:kept@example.com", Now.AddDays(-364))]);
        var retention = app.Services.GetRequiredService<AuditRetention>();

        await Task.WhenAll(retention.PruneAsync(default), retention.PruneAsync(default));
        var afterRun = Actors((await PageAsync(key, "limit=100&type=auth.signed_in")).Items);
        await SeedAsync(tenant, (SecurityEventTypes.SignedIn, "user:later@example.com", Now.AddDays(-365).AddMinutes(30)));
        app.Advance(TimeSpan.FromMinutes(61)); // the hourly run, on the injected clock
        await PenguinMailsFactory.Eventually(async () =>
            !Actors((await PageAsync(key, "limit=100&type=auth.signed_in")).Items).Contains("user:later@example.com"),
            "the hourly run deletes the entry that has become older than 365 days");

        Assert.Equal(["user:kept@example.com"], afterRun);
        Assert.Equal(["user:kept@example.com"], Actors((await PageAsync(key, "limit=100&type=auth.signed_in")).Items));
    }

    private async Task<(Guid Tenant, string Key, Guid Id)> AdminFullAsync()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, id) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull], name: "auditor");
        return (tenant, key, id);
    }
}

public sealed class AuditLogApiSqliteTests(SqliteFactory app) : AuditLogApiTests(app), IClassFixture<SqliteFactory>;

public sealed class AuditLogApiPostgresTests(PostgresFactory app) : AuditLogApiTests(app), IClassFixture<PostgresFactory>;
