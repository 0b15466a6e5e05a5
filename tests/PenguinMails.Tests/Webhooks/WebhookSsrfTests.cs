using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Webhooks;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// SSRF with the default settings (no allowed private range): each address the issue lists is refused when an endpoint
/// is saved, with a 422 naming the problem; and an endpoint whose name now resolves to loopback (DNS rebinding,
/// simulated by a row saved before the change) is refused on connection — nothing reaches the server behind it.
/// </summary>
public abstract class WebhookSsrfTests(PenguinMailsFactory app)
{
    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://224.0.0.1/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://[::127.0.0.1]/hook")]
    [InlineData("https://[::10.0.0.1]/hook")]
    [InlineData("https://[::ffff:0:127.0.0.1]/hook")]
    [InlineData("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook")]
    public async Task Create_PrivateDestination_IsRefused(string url)
    {
        var (_, client) = await app.TenantAsync();

        var error = await (await client.PostJsonAsync("/api/v1/webhooks", new { url })).ErrorAsync(422, "WEBHOOK_URL_NOT_ALLOWED");

        Assert.Equal("url", error["details"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("public address", error["details"]![0]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ftp://example.com/hook")]
    [InlineData("/relative")]
    [InlineData("https://user:pass@example.com/hook")]
    [InlineData("https://8.8.8.8:0/hook")]
    public async Task Create_NotAnHttpUrl_IsRefused(string url)
    {
        var (_, client) = await app.TenantAsync();

        await (await client.PostJsonAsync("/api/v1/webhooks", new { url })).ErrorAsync(422, "WEBHOOK_URL_NOT_ALLOWED");
    }

    /// <summary>A host DNS cannot carry (255 characters: four labels of 63) is a 422 naming it, on create and update alike;
    /// the resolver's refusal of it once answered 500.</summary>
    [Fact]
    public async Task Create_AndUpdate_AHostTooLongForDns_IsRefused()
    {
        var (tenant, client) = await app.TenantAsync();
        var label = new string('a', 63);
        var url = $"https://{label}.{label}.{label}.{label}/hook";
        var id = await InsertEndpointAsync(tenant, "https://203.0.113.10/hook");

        var created = await (await client.PostJsonAsync("/api/v1/webhooks", new { url })).ErrorAsync(422, "WEBHOOK_URL_NOT_ALLOWED");
        var updated = await (await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { url })).ErrorAsync(422, "WEBHOOK_URL_NOT_ALLOWED");

        Assert.All(new[] { created, updated }, e => Assert.Contains("too long to be a DNS name", e["details"]![0]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Update_ToAPrivateDestination_IsRefused_AndTheUrlKept()
    {
        var (tenant, client) = await app.TenantAsync();
        var id = await InsertEndpointAsync(tenant, "https://203.0.113.10/hook"); // as if it had been public when saved

        await (await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { url = "https://10.1.2.3/hook" })).ErrorAsync(422, "WEBHOOK_URL_NOT_ALLOWED");

        var data = await (await client.GetAsync($"/api/v1/webhooks/{id}")).DataAsync();
        Assert.Equal("https://203.0.113.10/hook", data["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delivery_ToANameNowResolvingToLoopback_IsRefusedOnConnection_NothingArrives()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (tenant, client) = await app.TenantAsync();
        var id = await InsertEndpointAsync(tenant, receiver.Url("/rebound").Replace("127.0.0.1", "localhost"));

        var delivery = await client.TestEventAsync(id);

        var row = await app.WaitForAttemptsAsync(Guid.Parse(delivery["id"]!.GetValue<string>()), 1);
        Assert.Null(row.StatusCode);
        Assert.StartsWith("Refused:", row.Error);
        Assert.Empty(receiver.Received);
    }

    /// <summary>An endpoint row written directly, past the API's check: what a name that later changed its address leaves behind.</summary>
    private async Task<Guid> InsertEndpointAsync(Guid tenant, string url) =>
        await app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            var secrets = sp.GetRequiredService<WebhookSecrets>();
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var endpoint = new WebhookEndpoint { Url = url, ProtectedSecret = secrets.Protect(WebhookSecrets.NewSecret()), CreatedAt = now, UpdatedAt = now };
            db.WebhookEndpoints.Add(endpoint);
            await db.SaveChangesAsync();
            sp.GetRequiredService<WebhookSubscriptions>().Evict(tenant);
            return endpoint.Id;
        });
}

public sealed class WebhookSsrfSqliteTests(SqliteFactory app) : WebhookSsrfTests(app), IClassFixture<SqliteFactory>;

public sealed class WebhookSsrfPostgresTests(PostgresFactory app) : WebhookSsrfTests(app), IClassFixture<PostgresFactory>;
