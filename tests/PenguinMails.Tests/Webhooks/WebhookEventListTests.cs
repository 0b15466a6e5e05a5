using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// An endpoint's <c>events</c>: <c>["*"]</c> or omitted means every type, and an empty list is refused on create as on
/// update, never taken for every type.
/// </summary>
public abstract class WebhookEventListTests(PenguinMailsFactory app)
{
    private const string PublicUrl = "https://1.1.1.1/hooks";

    [Fact]
    public async Task Create_WithAnEmptyEventList_IsRefusedAsAnUpdateIs_WhileOmittedMeansEveryType()
    {
        var (_, client) = await app.TenantAsync();
        var (id, _) = await client.CreateEndpointAsync(PublicUrl);

        var created = await (await client.PostJsonAsync("/api/v1/webhooks", new { url = PublicUrl, events = Array.Empty<string>() }))
            .ErrorAsync(400, "VALIDATION_ERROR");
        var updated = await (await client.PatchJsonAsync($"/api/v1/webhooks/{id}", new { events = Array.Empty<string>() }))
            .ErrorAsync(400, "VALIDATION_ERROR");

        var detail = Assert.Single(created["details"]!.AsArray())!;
        Assert.Equal("events", detail["field"]!.GetValue<string>());
        Assert.Equal(updated["details"]![0]!["message"]!.GetValue<string>(), detail["message"]!.GetValue<string>());
        var only = Assert.Single((await (await client.GetAsync("/api/v1/webhooks")).DataAsync()).AsArray())!;
        Assert.Equal(["*"], only["events"]!.AsArray().Select(e => e!.GetValue<string>()));
    }
}

public sealed class WebhookEventListSqliteTests(SqliteFactory app) : WebhookEventListTests(app), IClassFixture<SqliteFactory>;

public sealed class WebhookEventListPostgresTests(PostgresFactory app) : WebhookEventListTests(app), IClassFixture<PostgresFactory>;
