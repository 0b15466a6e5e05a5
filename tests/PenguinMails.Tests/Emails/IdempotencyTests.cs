using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Http.Idempotency;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>Idempotency-Key on writes: replay, a different request, a request still in flight, expiry.</summary>
public abstract class IdempotencyTests(PenguinMailsFactory app)
{
    private static HttpRequestMessage Send(string key, object body) =>
        new(HttpMethod.Post, "/api/v1/emails/send") { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", key } } };

    [Fact]
    public async Task SameKeySameBody_ReplaysTheFirstAnswer_OneEmailOnly()
    {
        var (_, client) = await app.TenantClientAsync();
        var body = EmailTestKit.Simple("once@example.com");
        var first = await client.SendAsync(Send("k-1", body));
        var firstId = (await first.DataAsync())["id"]!.GetValue<string>();
        var second = await client.SendAsync(Send("k-1", body));
        Assert.Equal(firstId, (await second.DataAsync())["id"]!.GetValue<string>());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var list = await (await client.GetAsync("/api/v1/emails?recipient=once@example.com")).DataAsync();
        Assert.Single(list.AsArray());
    }

    [Fact]
    public async Task SameKeyDifferentBody_422()
    {
        var (_, client) = await app.TenantClientAsync();
        await (await client.SendAsync(Send("k-2", EmailTestKit.Simple("a@example.com")))).DataAsync();
        await (await client.SendAsync(Send("k-2", EmailTestKit.Simple("b@example.com")))).ErrorAsync(422, "IDEMPOTENCY_KEY_REUSED");
    }

    [Fact]
    public async Task FirstRequestStillInFlight_409()
    {
        var (tenant, client) = await app.TenantClientAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Key = "k-3", RequestHash = new byte[32], CreatedAt = now, ExpiresAt = now.AddHours(24), LockedUntil = now.AddMinutes(5),
            });
            return await db.SaveChangesAsync();
        });
        await (await client.SendAsync(Send("k-3", EmailTestKit.Simple("a@example.com")))).ErrorAsync(409, "IDEMPOTENCY_KEY_IN_FLIGHT");
    }

    [Fact]
    public async Task After24Hours_TheKeyIsNew()
    {
        var (_, client) = await app.TenantClientAsync();
        var body = EmailTestKit.Simple("later@example.com");
        var first = (await (await client.SendAsync(Send("k-4", body))).DataAsync())["id"]!.GetValue<string>();
        app.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        var second = (await (await client.SendAsync(Send("k-4", body))).DataAsync())["id"]!.GetValue<string>();
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task KeysAreTenantScoped()
    {
        var (_, one) = await app.TenantClientAsync();
        var (_, two) = await app.TenantClientAsync();
        var body = EmailTestKit.Simple("a@example.com");
        var a = (await (await one.SendAsync(Send("shared", body))).DataAsync())["id"]!.GetValue<string>();
        var b = (await (await two.SendAsync(Send("shared", body))).DataAsync())["id"]!.GetValue<string>();
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task FailedValidation_IsReplayedToo()
    {
        var (_, client) = await app.TenantClientAsync();
        await (await client.SendAsync(Send("k-5", new { to = "x" }))).ErrorAsync(400, "VALIDATION_ERROR");
        var again = await client.SendAsync(Send("k-5", new { to = "x" }));
        await again.ErrorAsync(400, "VALIDATION_ERROR");
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
    }
}

public sealed class IdempotencySqliteTests(SqliteFactory app) : IdempotencyTests(app), IClassFixture<SqliteFactory>;

public sealed class IdempotencyPostgresTests(PostgresFactory app) : IdempotencyTests(app), IClassFixture<PostgresFactory>;
