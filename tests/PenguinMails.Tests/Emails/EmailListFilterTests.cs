using PenguinMails.Campaigns;
using PenguinMails.Emails;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Portal;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// GET /api/v1/emails?campaign_id=&amp;environment= (issue 14): a campaign's messages only, live or test messages only,
/// combined with the other filters and a cursor that stays stable while newer mail arrives; wrong values are
/// VALIDATION_ERROR naming the field; another tenant's messages in the same campaign id never show; the OpenAPI document
/// describes both parameters.
/// </summary>
public abstract class EmailListFilterTests(PenguinMailsFactory app)
{
    private const string List = "/api/v1/emails";

    private async Task<(Guid Tenant, HttpClient Client, Guid Campaign, Dictionary<string, string> Ids)> SeededAsync()
    {
        var (tenant, client) = await app.TenantClientAsync();
        var other = await app.CreateTenantAsync();
        var (campaign, second) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var messages = new Dictionary<string, EmailMessage>
        {
            ["campaign-old"] = ActivitySeed.Message(tenant, now.AddHours(-5), "a@example.net", tags: ["news"], campaign: campaign),
            ["test"] = ActivitySeed.Message(tenant, now.AddHours(-4), "b@example.net", tags: ["news"], test: true),
            ["campaign-new"] = ActivitySeed.Message(tenant, now.AddHours(-3), "c@example.net", EmailStatus.Bounced, campaign: campaign),
            ["other-campaign"] = ActivitySeed.Message(tenant, now.AddHours(-2), "d@example.net", campaign: second),
            ["live"] = ActivitySeed.Message(tenant, now.AddHours(-1), "e@example.net", tags: ["news"]),
        };
        await app.SeedAsync(tenant, messages.Values);
        await app.SeedAsync(other, [ActivitySeed.Message(other, now.AddHours(-1), "x@example.net", campaign: campaign)]);
        return (tenant, client, campaign, messages.ToDictionary(m => m.Key, m => EmailIds.Format(m.Value.Id)));
    }

    private static async Task<List<string>> IdsAsync(HttpClient client, string query) =>
        (await (await client.GetAsync($"{List}?{query}")).DataAsync()).AsArray().Select(e => e!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task CampaignAndEnvironment_Filter_AndCombineWithTheOthers()
    {
        var (_, client, campaign, ids) = await SeededAsync();
        var cmp = CampaignIds.Format(campaign);

        Assert.Equal([ids["campaign-new"], ids["campaign-old"]], await IdsAsync(client, $"campaign_id={cmp}"));
        Assert.Equal([ids["campaign-old"]], await IdsAsync(client, $"campaign_id={cmp}&tag=news"));
        Assert.Equal([ids["campaign-new"]], await IdsAsync(client, $"campaign_id={cmp}&status=bounced"));
        Assert.Equal([ids["test"]], await IdsAsync(client, "environment=test"));
        Assert.Equal([ids["live"], ids["campaign-old"]], await IdsAsync(client, "environment=live&tag=news"));
        Assert.Equal(4, (await IdsAsync(client, "environment=live")).Count);
        Assert.Empty(await IdsAsync(client, $"campaign_id={CampaignIds.Format(Guid.CreateVersion7())}"));
        var test = await (await client.GetAsync($"{List}?environment=test")).DataAsync();
        Assert.True(test[0]!["test_mode"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Paging_UnderAFilter_IsStable_WhenNewerMailArrives()
    {
        var (tenant, client, _, ids) = await SeededAsync();

        var first = await (await client.GetAsync($"{List}?environment=live&limit=2")).BodyAsync();
        var cursor = first["meta"]!["pagination"]!["next_cursor"]!.GetValue<string>();
        await app.SeedAsync(tenant, [ActivitySeed.Message(tenant, app.Clock.GetUtcNow().UtcDateTime, "new@example.net")]);
        var second = await (await client.GetAsync($"{List}?environment=live&limit=2&cursor={cursor}")).BodyAsync();

        Assert.Equal([ids["live"], ids["other-campaign"]], first["data"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        Assert.True(first["meta"]!["pagination"]!["has_more"]!.GetValue<bool>());
        Assert.Equal([ids["campaign-new"], ids["campaign-old"]], second["data"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        Assert.False(second["meta"]!["pagination"]!["has_more"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("campaign_id=42", "campaign_id")]
    [InlineData("campaign_id=msg_0190a5c3d4e57f00a1b2c3d4e5f60718", "campaign_id")]
    [InlineData("environment=staging", "environment")]
    [InlineData("environment=LIVE", "environment")]
    public async Task WrongValues_AreValidationErrors_NamingTheField(string query, string field)
    {
        var (_, client) = await app.TenantClientAsync();

        var error = await (await client.GetAsync($"{List}?{query}")).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal(field, error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesBothParameters()
    {
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var parameters = document["paths"]![List]!["get"]!["parameters"]!.AsArray();

        foreach (var name in new[] { "campaign_id", "environment" })
        {
            var parameter = parameters.Single(p => p!["name"]!.GetValue<string>() == name)!;
            Assert.Equal("query", parameter["in"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(parameter["description"]?.GetValue<string>()), $"{name} has no description");
        }
    }
}

public sealed class EmailListFilterSqliteTests(SqliteFactory app) : EmailListFilterTests(app), IClassFixture<SqliteFactory>;

public sealed class EmailListFilterPostgresTests(PostgresFactory app) : EmailListFilterTests(app), IClassFixture<PostgresFactory>;
