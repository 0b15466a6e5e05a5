using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Domains;

/// <summary>The sender rule and the domain list: who may send as what with a live key, and what deleting a domain does.</summary>
public abstract partial class DomainTests
{
    [Fact]
    public async Task LiveSend_FromUnverifiedDomain_OtherTenantsDomain_OrLookAlike_403_TestKeysExempt()
    {
        var (live, test) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var (otherLive, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var bank = DomainTestKit.Unique("bank");
        var pending = DomainTestKit.Unique("pending");
        await otherLive.VerifiedDomainAsync(_dns, bank);
        await live.AddDomainAsync(pending);
        var mine = DomainTestKit.Unique("mine");
        await live.VerifiedDomainAsync(_dns, mine);

        foreach (var from in new[]
        {
            $"security@{bank}", $"Bank <security@{bank}>", $"security@{bank}.evil.example", $"security@evil{bank}",
            $"security@{pending}", "someone@unknown.example", $"x@{mine}.evil.example",
        })
        {
            var error = await (await live.PostJsonAsync("/api/v1/emails/send", new { from, to = "a@example.com", subject = "S", text_body = "T" }))
                .ErrorAsync(403, "SENDER_DOMAIN_NOT_VERIFIED");
            Assert.Contains("POST /api/v1/domains", error["message"]!.GetValue<string>());
            Assert.Equal("from", error["details"]![0]!["field"]!.GetValue<string>());
        }

        await live.SendAsync(new { from = $"Shop <news@{mine}>", to = "a@example.com", subject = "S", text_body = "T" });
        await live.SendAsync(new { from = $"news@eu.mail.{mine.ToUpperInvariant()}", to = "a@example.com", subject = "S", text_body = "T" });
        await test.SendAsync(new { from = $"security@{bank}", to = "a@example.com", subject = "S", text_body = "T" });
        await otherLive.SendAsync(new { from = $"security@{bank}", to = "a@example.com", subject = "S", text_body = "T" });
    }

    [Fact]
    public async Task CampaignSend_WithAnUnverifiedSender_403_UntilTheDomainIsVerified()
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var name = DomainTestKit.Unique("news");
        var campaign = await (await live.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Launch", from = $"News <hello@{name}>", subject = "Hi", html_body = "<p>Hi</p>", audience = new { all = true },
        })).DataAsync(201);

        await (await live.PostAsync($"/api/v1/campaigns/{campaign["id"]}/send", null)).ErrorAsync(403, "SENDER_DOMAIN_NOT_VERIFIED");
        await live.VerifiedDomainAsync(_dns, name);
        await (await live.PostAsync($"/api/v1/campaigns/{campaign["id"]}/send", null)).DataAsync();
    }

    [Fact]
    public async Task ScheduledCampaign_WhoseDomainFailedMeanwhile_QueuesItsMailHeld_ReleasedWhenTheDomainIsBack()
    {
        var tenant = await _app.CreateTenantAsync();
        var (live, _) = await _app.ClientsAsync(tenant);
        var name = DomainTestKit.Unique("later");
        var domain = await live.VerifiedDomainAsync(_dns, name);
        var (contactsKey, _) = await _app.CreateKeyAsync(tenant, [PenguinMails.ApiKeys.Permissions.ContactsWrite]);
        foreach (var i in Enumerable.Range(0, 3))
        {
            await (await _app.Client(contactsKey).PostJsonAsync("/api/v1/contacts", new { email = $"reader{i}-{Guid.NewGuid():N}@example.com" })).DataAsync(201);
        }

        var campaign = await (await live.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "Later", from = $"News <hello@{name}>", subject = "Hi", html_body = "<p>Hi</p>", audience = new { all = true },
        })).DataAsync(201);
        var id = campaign["id"]!.GetValue<string>();
        await (await live.PostJsonAsync($"/api/v1/campaigns/{id}/schedule", new { scheduled_at = _app.Clock.GetUtcNow().AddDays(5) })).DataAsync();
        _dns.RemoveUnder(name);
        foreach (var _ in Enumerable.Range(0, 14))
        {
            _app.Advance(TimeSpan.FromHours(6)); // the domain fails after 72 hours without its records, before the campaign starts
            await RecheckAsync();
        }

        Assert.Equal("failed", (await live.DomainAsync(domain)).Status());
        _app.Advance(TimeSpan.FromDays(2)); // past the campaign's time
        Task<List<PenguinMails.Emails.EmailStatus>> StatusesAsync() => _app.InTenantAsync(tenant, sp =>
            sp.GetRequiredService<PenguinMails.Data.AppDb>().EmailMessages.Where(m => m.CampaignId != null).Select(m => m.Status).ToListAsync());
        await PenguinMailsFactory.Eventually(async () => { _app.Advance(TimeSpan.FromSeconds(5)); return (await StatusesAsync()).Count == 3; }, "the campaign queued its three messages");
        Assert.All(await StatusesAsync(), s => Assert.Equal(PenguinMails.Emails.EmailStatus.Held, s));

        _dns.PublishRecords(domain);
        _app.Advance(TimeSpan.FromHours(6));
        await RecheckAsync();

        Assert.Equal("verified", (await live.DomainAsync(domain)).Status());
        Assert.DoesNotContain(PenguinMails.Emails.EmailStatus.Held, await StatusesAsync());
    }

    [Fact]
    public async Task ListAndDelete_PagesByName_DeletedDomainNoLongerSends_AtOnce()
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync(verifiedDomains: []));
        var names = new[] { "c", "a", "b" }.Select(l => $"{l}{DomainTestKit.Unique("list")}").ToList();
        foreach (var name in names)
        {
            await live.VerifiedDomainAsync(_dns, name);
        }

        var first = await (await live.GetAsync("/api/v1/domains?limit=2")).BodyAsync();
        var second = await (await live.GetAsync($"/api/v1/domains?limit=2&cursor={first["meta"]!["pagination"]!["next_cursor"]}")).BodyAsync();
        var deleted = names.Min()!;
        await live.SendAsync(new { from = $"a@{deleted}", to = "a@example.com", subject = "S", text_body = "T" }); // the sender rule's cache holds it now
        await (await live.DeleteAsync($"/api/v1/domains/{deleted}")).DataAsync();

        Assert.Equal(names.Order().Take(2), first["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal(names.Order().Skip(2), second["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await live.GetAsync($"/api/v1/domains/{deleted}")).StatusCode);
        await (await live.PostJsonAsync("/api/v1/emails/send", new { from = $"a@{deleted}", to = "a@example.com", subject = "S", text_body = "T" }))
            .ErrorAsync(403, "SENDER_DOMAIN_NOT_VERIFIED");
    }
}
