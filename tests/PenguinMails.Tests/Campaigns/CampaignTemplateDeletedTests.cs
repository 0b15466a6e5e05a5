using System.Text.Json.Nodes;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Campaigns;

/// <summary>
/// A template a scheduled campaign names: its DELETE is refused while the campaign needs it, and a campaign whose
/// template went anyway is cancelled with why when its time comes — in its own status_reason and in the
/// campaign.status_changed event — instead of being reported sent to nobody.
/// </summary>
public abstract class CampaignTemplateDeletedTests
{
    private readonly PenguinMailsFactory _app;

    protected CampaignTemplateDeletedTests(PenguinMailsFactory app)
    {
        _app = app;
        _app.AllowLoopback();
    }

    [Fact]
    public async Task DeleteTemplate_AScheduledCampaignNeedsIt_Is409NamingIt_ADraftDoesNotHoldIt()
    {
        var (_, client) = await _app.CampaignClientAsync();
        await client.CreateTemplateAsync("tmpx");
        var draft = (await client.CreateCampaignAsync(CampaignKit.FromTemplate("tmpx")))["id"]!.GetValue<string>();
        var scheduled = (await client.CreateCampaignAsync(CampaignKit.FromTemplate("tmpx")))["id"]!.GetValue<string>();
        await (await client.PostJsonAsync($"/api/v1/campaigns/{scheduled}/schedule", new { scheduled_at = _app.Clock.GetUtcNow().AddHours(1) })).DataAsync();

        var refused = await (await client.DeleteAsync("/api/v1/templates/tmpx")).ErrorAsync(409, "RESOURCE_CONFLICT");

        var detail = Assert.Single(refused["details"]!.AsArray())!;
        Assert.Equal("slug", detail["field"]!.GetValue<string>());
        Assert.Contains($"Campaign {scheduled} is scheduled", detail["message"]!.GetValue<string>());
        Assert.DoesNotContain(draft, refused.ToJsonString());
        await (await client.GetAsync("/api/v1/templates/tmpx")).DataAsync();

        await (await client.PostAsync($"/api/v1/campaigns/{scheduled}/cancel", null)).DataAsync();
        await (await client.DeleteAsync("/api/v1/templates/tmpx")).DataAsync();
        await (await client.GetAsync("/api/v1/templates/tmpx")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task ScheduledCampaign_TemplateGoneWhenItsTimeComes_IsCancelledWithWhy_AndTheEventSaysIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await _app.CreateTenantAsync();
        var (key, _) = await _app.CreateKeyAsync(tenant, [.. CampaignKit.CampaignPermissions, Permissions.WebhooksRead, Permissions.WebhooksWrite]);
        var client = _app.Client(key);
        await client.CreateEndpointAsync(receiver.Url("/campaigns"), ["campaign.status_changed"]);
        await _app.AddContactsAsync(tenant, [new("imp@example.com", "Ann")]);
        await client.CreateTemplateAsync("tmpx");
        var id = (await client.CreateCampaignAsync(CampaignKit.FromTemplate("tmpx")))["id"]!.GetValue<string>();
        await (await client.PostJsonAsync($"/api/v1/campaigns/{id}/send", new { scheduled_at = _app.Clock.GetUtcNow().AddSeconds(5) })).DataAsync();

        await _app.RemoveTemplateRowAsync(tenant, "tmpx");
        _app.Advance(TimeSpan.FromSeconds(5));
        var cancelled = await _app.WaitForCampaignAsync(client, id, c => c.Status() != "scheduled", "the campaign's time has come");

        Assert.Equal("cancelled", cancelled.Status());
        var reason = cancelled["status_reason"]!.GetValue<string>();
        Assert.Contains("template 'tmpx' was deleted", reason);
        Assert.Equal((0, 0), (cancelled.Progress("recipients"), cancelled.Progress("skipped")));
        Assert.NotNull(cancelled["cancelled_at"]);
        Assert.Null(cancelled["sent_at"]);
        Assert.Equal(["delete"], cancelled["allowed_actions"]!.AsArray().Select(a => a!.GetValue<string>()));
        await receiver.WaitForAsync("/campaigns", 2);
        var change = receiver.At("/campaigns").Select(r => JsonNode.Parse(r.Body)!["data"]!).Single(d => d["status"]!.GetValue<string>() == "cancelled");
        Assert.Equal((id, "scheduled", reason),
            (change["id"]!.GetValue<string>(), change["previous_status"]!.GetValue<string>(), change["status_reason"]!.GetValue<string>()));
    }
}

public sealed class CampaignTemplateDeletedSqliteTests(SqliteFactory f) : CampaignTemplateDeletedTests(f), IClassFixture<SqliteFactory>;

public sealed class CampaignTemplateDeletedPostgresTests(PostgresFactory f) : CampaignTemplateDeletedTests(f), IClassFixture<PostgresFactory>;
