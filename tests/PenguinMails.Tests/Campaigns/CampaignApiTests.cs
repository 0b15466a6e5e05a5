using System.Net.Http.Json;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Campaigns;

/// <summary>Creating, reading, listing, editing and deleting campaigns; the status machine's refusals; isolation.</summary>
public abstract class CampaignApiTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task Create_ReturnsADraftWithItsAllowedActions()
    {
        var (_, client) = await app.CampaignClientAsync();
        var campaign = await client.CreateCampaignAsync(CampaignKit.Inline(tags: ["VIP", "news"]));

        Assert.StartsWith("cmp_", campaign["id"]!.GetValue<string>());
        Assert.Equal("draft", campaign.Status());
        Assert.Equal(["vip", "news"], campaign["audience"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.False(campaign["audience"]!["all"]!.GetValue<bool>());
        Assert.Equal(["edit", "send", "schedule", "cancel", "delete"], campaign["allowed_actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(0, campaign.Progress("recipients"));
    }

    /// <summary>An audience tag no contact could carry (a contact's tag rules: 1 to 64 characters, no ';' or '|')
    /// is refused, not saved as a campaign that reaches nobody.</summary>
    [Theory]
    [InlineData("a;b")]
    [InlineData("a|b")]
    [InlineData("this-tag-is-longer-than-any-contact-tag-may-be-sixty-five-chars-x")]
    public async Task Create_AnAudienceTagNoContactCanHave_IsRefused(string tag)
    {
        var (_, client) = await app.CampaignClientAsync();

        var error = await (await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "x", from = "a@example.com", subject = "S", html_body = "B", audience = new { tags = new[] { "ok", tag } },
        })).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("audience.tags", Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Invalid_ListsEveryProblem()
    {
        var (_, client) = await app.CampaignClientAsync();
        var response = await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "x", from = "not an address", audience = new { all = true, tags = new[] { "a" } },
        });

        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        var fields = error["details"]!.AsArray().Select(d => d!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("from", fields);
        Assert.Contains("audience", fields);
        Assert.Contains("html_body", fields);
    }

    [Fact]
    public async Task BlankBodies_AreNoBodies()
    {
        var (_, client) = await app.CampaignClientAsync();

        var error = await (await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "x", subject = "Hi", from = "news@example.com", html_body = "  ", text_body = "\r\n", audience = new { all = true },
        })).ErrorAsync(400, "VALIDATION_ERROR");
        var made = await (await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "y", subject = "Hi", from = "news@example.com", html_body = "<p>Hi</p>", text_body = " ", audience = new { all = true },
        })).DataAsync(201);

        Assert.Equal("html_body", Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
        Assert.Null(made["text_body"]);
    }

    [Fact]
    public async Task Create_WithUnknownTemplate_Is422()
    {
        var (_, client) = await app.CampaignClientAsync();
        var response = await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "x", from = "a@example.com", template_id = "nope", audience = new { all = true },
        });

        await response.ErrorAsync(422, "TEMPLATE_NOT_FOUND");
    }

    [Fact]
    public async Task List_FiltersByStatus_PagesWithACursor_AndSorts()
    {
        var (_, client) = await app.CampaignClientAsync();
        foreach (var name in new[] { "c", "a", "b" })
        {
            var id = (await client.CreateCampaignAsync(CampaignKit.Inline(name)))["id"]!.GetValue<string>();
            await (await client.PostAsync($"/api/v1/campaigns/{id}/cancel", null)).DataAsync();
        }

        await client.CreateCampaignAsync(CampaignKit.Inline("draft"));
        var first = await client.GetAsync("/api/v1/campaigns?status=cancelled&limit=2&sort=name");
        var body = await first.BodyAsync();
        var page = (await first.DataAsync()).AsArray();
        Assert.Equal(["a", "b"], page.Select(c => c!["name"]!.GetValue<string>()));
        Assert.True(body["meta"]!["pagination"]!["has_more"]!.GetValue<bool>());
        var cursor = body["meta"]!["pagination"]!["next_cursor"]!.GetValue<string>();

        var second = await client.GetAsync($"/api/v1/campaigns?status=cancelled&limit=2&sort=name&cursor={cursor}");
        var secondBody = await second.BodyAsync();
        Assert.Equal(["c"], (await second.DataAsync()).AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.False(secondBody["meta"]!["pagination"]!["has_more"]!.GetValue<bool>());

        var drafts = (await (await client.GetAsync("/api/v1/campaigns?status=draft&limit=10")).DataAsync()).AsArray();
        Assert.Equal(["draft"], drafts.Select(c => c!["name"]!.GetValue<string>()));
        await (await client.GetAsync("/api/v1/campaigns?status=finished")).ErrorAsync(400, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Edit_ADraft_ChangesIt()
    {
        var (_, client) = await app.CampaignClientAsync();
        var id = (await client.CreateCampaignAsync(CampaignKit.Inline()))["id"]!.GetValue<string>();

        var edited = await (await client.PatchJsonAsync($"/api/v1/campaigns/{id}", new { name = "Renamed", audience = new { tags = new[] { "x" } } })).DataAsync();

        Assert.Equal("Renamed", edited["name"]!.GetValue<string>());
        Assert.Equal(["x"], edited["audience"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task IllegalTransitions_Are409_WithTheStatusAndTheAllowedActions()
    {
        var (_, client) = await app.CampaignClientAsync();
        var id = (await client.CreateCampaignAsync(CampaignKit.Inline()))["id"]!.GetValue<string>();

        var pause = await (await client.PostAsync($"/api/v1/campaigns/{id}/pause", null)).ErrorAsync(409, "RESOURCE_CONFLICT");
        Assert.Equal("draft", pause["details"]![0]!["status"]!.GetValue<string>());
        Assert.Contains("send", pause["details"]![0]!["allowed_actions"]!.AsArray().Select(a => a!.GetValue<string>()));

        app.Advance(TimeSpan.FromMinutes(1));
        var cancelled = await (await client.PostAsync($"/api/v1/campaigns/{id}/cancel", null)).DataAsync();
        Assert.Equal(cancelled["cancelled_at"]!.GetValue<string>(), cancelled["updated_at"]!.GetValue<string>());
        Assert.NotEqual(cancelled["created_at"]!.GetValue<string>(), cancelled["updated_at"]!.GetValue<string>());
        var edit = await (await client.PatchJsonAsync($"/api/v1/campaigns/{id}", new { name = "late" })).ErrorAsync(409, "RESOURCE_CONFLICT");
        Assert.Equal("cancelled", edit["details"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(["delete"], edit["details"]![0]!["allowed_actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        await (await client.PostAsync($"/api/v1/campaigns/{id}/send", null)).ErrorAsync(409, "RESOURCE_CONFLICT");
    }

    [Fact]
    public async Task Delete_DraftYes_ScheduledNo()
    {
        var (_, client) = await app.CampaignClientAsync();
        var draft = (await client.CreateCampaignAsync(CampaignKit.Inline()))["id"]!.GetValue<string>();
        var scheduled = (await client.CreateCampaignAsync(CampaignKit.Inline()))["id"]!.GetValue<string>();
        await (await client.PostJsonAsync($"/api/v1/campaigns/{scheduled}/schedule", new { scheduled_at = PenguinMailsFactory.Start.AddDays(1) })).DataAsync();

        await (await client.DeleteAsync($"/api/v1/campaigns/{draft}")).DataAsync();
        await (await client.GetAsync($"/api/v1/campaigns/{draft}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        var refused = await (await client.DeleteAsync($"/api/v1/campaigns/{scheduled}")).ErrorAsync(409, "RESOURCE_CONFLICT");
        Assert.Equal("scheduled", refused["details"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherTenantsCampaign_IsNotFound_AndNotListed()
    {
        var (_, owner) = await app.CampaignClientAsync();
        var (_, other) = await app.CampaignClientAsync();
        var id = (await owner.CreateCampaignAsync(CampaignKit.Inline("secret")))["id"]!.GetValue<string>();

        await (await other.GetAsync($"/api/v1/campaigns/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await other.PostAsync($"/api/v1/campaigns/{id}/send", null)).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await other.DeleteAsync($"/api/v1/campaigns/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await other.GetAsync($"/api/v1/analytics/campaigns/{id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        Assert.Empty((await (await other.GetAsync("/api/v1/campaigns")).DataAsync()).AsArray());
        Assert.Equal("draft", (await owner.CampaignAsync(id)).Status());
    }

    [Fact]
    public async Task Create_WithAnIdempotencyKey_IsReplayed()
    {
        var (_, client) = await app.CampaignClientAsync();
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/campaigns") { Content = JsonContent.Create(CampaignKit.Inline("once")) };
            request.Headers.Add("Idempotency-Key", "create-once");
            return request;
        }

        var first = await (await client.SendAsync(Request())).DataAsync(201);
        var again = await client.SendAsync(Request());

        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first["id"]!.GetValue<string>(), (await again.DataAsync(201))["id"]!.GetValue<string>());
        Assert.Single((await (await client.GetAsync("/api/v1/campaigns")).DataAsync()).AsArray());
    }
}

public sealed class CampaignApiSqliteTests(SqliteFactory f) : CampaignApiTests(f), IClassFixture<SqliteFactory>;

public sealed class CampaignApiPostgresTests(PostgresFactory f) : CampaignApiTests(f), IClassFixture<PostgresFactory>;
