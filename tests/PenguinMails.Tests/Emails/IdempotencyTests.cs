using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Http.Idempotency;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>Idempotency-Key on writes: replay, a different request, a request still in flight, expiry, per tenant and key environment.</summary>
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
        var inFlight = await client.SendAsync(Send("k-3", EmailTestKit.Simple("a@example.com")));
        await inFlight.ErrorAsync(409, "IDEMPOTENCY_KEY_IN_FLIGHT");
        Assert.Equal(TimeSpan.FromSeconds(1), inFlight.Headers.RetryAfter?.Delta);
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
    public async Task SameKey_TestKeyThenLiveKey_TheLiveEmailIsSent_AndEachKeyReplaysItsOwnAnswer()
    {
        var tenant = await app.CreateTenantAsync();
        var test = app.Client((await app.CreateKeyAsync(tenant, EmailTestKit.SendPermissions, environment: "test")).Key);
        var live = app.Client((await app.CreateKeyAsync(tenant, EmailTestKit.SendPermissions)).Key);
        var body = EmailTestKit.Simple("idem@example.com");

        var simulated = (await (await test.SendAsync(Send("k-env", body))).DataAsync())["id"]!.GetValue<string>();
        var first = await live.SendAsync(Send("k-env", body));
        var sent = (await first.DataAsync())["id"]!.GetValue<string>();
        var liveAgain = await live.SendAsync(Send("k-env", body));
        var testAgain = await test.SendAsync(Send("k-env", body));

        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(simulated, sent);
        var email = await app.WaitForStatusAsync(live, sent, "sent");
        Assert.False(email["test_mode"]!.GetValue<bool>());
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "outbox", sent[4..] + ".eml"))); // delivered, not simulated
        Assert.True((await test.EmailAsync(simulated))["test_mode"]!.GetValue<bool>());
        Assert.Equal("true", liveAgain.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(sent, (await liveAgain.DataAsync())["id"]!.GetValue<string>());
        Assert.Equal("true", testAgain.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(simulated, (await testAgain.DataAsync())["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("validation")]
    [InlineData("missing template")]
    [InlineData("missing variable")]
    public async Task RefusedBeforeItRan_KeyStaysFree_TheCorrectedRequestRuns(string refusal)
    {
        var (_, client) = await app.TenantClientAsync();
        await client.PostJsonAsync("/api/v1/templates", new { slug = "idem", name = "Idem", subject = "Hi {{name}}", html_body = "<p>{{name}}</p>" });
        object refused = refusal switch
        {
            "validation" => new { to = "x" },
            "missing template" => new { from = "s@example.com", to = "a@example.com", template_id = "nope" },
            _ => new { from = "s@example.com", to = "a@example.com", template_id = "idem" },
        };
        var first = await client.SendAsync(Send("k-5-" + refusal, refused));
        Assert.True((int)first.StatusCode is 400 or 422, $"{refusal}: {(int)first.StatusCode}");

        var corrected = await client.SendAsync(Send("k-5-" + refusal,
            new { from = "s@example.com", to = "a@example.com", template_id = "idem", variables = new { name = "Ann" } }));

        Assert.Equal("queued", (await corrected.DataAsync())["status"]!.GetValue<string>());
        Assert.False(corrected.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("\t")]
    public async Task EmptyKey_IsRefused_NotSilentlyIgnored(string key)
    {
        var (_, client) = await app.TenantClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/emails/send") { Content = JsonContent.Create(EmailTestKit.Simple("e@example.com")) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var error = await (await client.SendAsync(request)).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("Idempotency-Key", error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("é-ü")]
    [InlineData("key\u00a0with-nbsp")]
    public async Task KeyBeyondPrintableAscii_IsRefused(string key)
    {
        var (_, client) = await app.TenantClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/emails/send") { Content = JsonContent.Create(EmailTestKit.Simple("e@example.com")) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var error = await (await client.SendAsync(request)).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("Idempotency-Key must have 1 to 255 printable ASCII characters (a UUID is a good key).", error["details"]![0]!["message"]!.GetValue<string>());
    }

    /// <summary>Two headers were read as one key joined by a comma: a later single "a,b" replayed the first answer.</summary>
    [Fact]
    public async Task KeyGivenTwice_IsRefused_NotJoinedIntoOne()
    {
        var (_, client) = await app.TenantClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/emails/send") { Content = JsonContent.Create(EmailTestKit.Simple("e@example.com")) };
        request.Headers.Add("Idempotency-Key", ["a", "b"]);

        var error = await (await client.SendAsync(request)).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("Idempotency-Key is given 2 times; a request takes one key.", error["details"]![0]!["message"]!.GetValue<string>());
    }

    /// <summary>
    /// Every operation of the OpenAPI document that lists no <c>Idempotency-Key</c> header refuses one, naming it, instead
    /// of running the write without the protection the caller asked for (two API keys, two webhook endpoints).
    /// </summary>
    [Fact]
    public async Task EveryOperationThatTakesNoKey_RefusesOne_NeverIgnoresIt()
    {
        var client = await app.AdminClientAsync();
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var failures = new List<string>();
        var refusing = 0;
        foreach (var (path, methods) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var (method, operation) in methods!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete"))
            {
                var takesKey = operation!["parameters"]?.AsArray().Any(p => p!["in"]!.GetValue<string>() == "header"
                    && p["name"]!.GetValue<string>() == "Idempotency-Key") == true;
                if (takesKey)
                {
                    continue;
                }

                refusing++;
                var url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString());
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url) { Headers = { { "Idempotency-Key", "k-" + Guid.NewGuid() } } };
                if (method is "post" or "put" or "patch")
                {
                    request.Content = JsonContent.Create(new { });
                }

                var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode != 400 || !text.Contains($"\"field\":\"Idempotency-Key\",\"message\":\"{IdempotencyExtensions.NotTaken}\"", StringComparison.Ordinal))
                {
                    failures.Add($"{method.ToUpperInvariant()} {path} → {(int)response.StatusCode} {text}");
                }
            }
        }

        Assert.True(refusing >= 40, $"only {refusing} operations take no key");
        Assert.True(failures.Count == 0, $"{failures.Count} of {refusing}:\n" + string.Join('\n', failures.Take(20)));
    }

    [Fact]
    public async Task RefusedByAuthenticationOrRateLimit_KeyStaysFree()
    {
        var (_, client) = await app.TenantClientAsync();
        var body = EmailTestKit.Simple("auth@example.com");
        using var anonymous = app.Client();
        var refused = await anonymous.SendAsync(Send("k-6", body));
        Assert.Equal(401, (int)refused.StatusCode);

        var accepted = await client.SendAsync(Send("k-6", body));
        Assert.Equal("queued", (await accepted.DataAsync())["status"]!.GetValue<string>());
        Assert.False(accepted.Headers.Contains("Idempotent-Replayed"));
    }
}

public sealed class IdempotencySqliteTests(SqliteFactory app) : IdempotencyTests(app), IClassFixture<SqliteFactory>;

public sealed class IdempotencyPostgresTests(PostgresFactory app) : IdempotencyTests(app), IClassFixture<PostgresFactory>;
