using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Domains;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Portal;
using PenguinMails.Users;

namespace PenguinMails.Tests.Domains;

/// <summary>Sending domains against a real DNS server on loopback: records, verification, the 72-hour rule, holds, alerts.</summary>
public abstract partial class DomainTests
{
    private readonly PenguinMailsFactory _app;
    private readonly DnsServer _dns;

    protected DomainTests(PenguinMailsFactory app, DnsServer dns)
    {
        (_app, _dns) = (app, dns);
        foreach (var (name, value) in dns.Settings())
        {
            app.Settings[name] = value;
        }

        app.Settings["PenguinMails:Domains:SpfInclude"] = "_spf.pm.test";
        app.Settings["PenguinMails:Domains:ReturnPathHost"] = "bounces.pm.test";
    }

    private Task<int> RecheckAsync() => _app.Services.GetRequiredService<DomainRecheckJob>().RunOnceAsync(CancellationToken.None);

    [Fact]
    public async Task Add_AnswersTheRecordsToPublish_ThenVerifyFindsThemRecordByRecord()
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var name = DomainTestKit.Unique("shop");

        var added = await live.AddDomainAsync(name.ToUpperInvariant() + ".");
        var before = await live.VerifyDomainAsync(added);
        _dns.PublishRecords(added);
        var after = await live.VerifyDomainAsync(added);

        Assert.Equal(name, added["name"]!.GetValue<string>());
        Assert.Equal("pending", added.Status());
        var dkim = added.Record("dkim");
        Assert.Equal("TXT", dkim["type"]!.GetValue<string>());
        Assert.Matches($"^pm\\d{{6}}\\._domainkey\\.{name.Replace(".", "\\.")}$", dkim["host"]!.GetValue<string>());
        Assert.Matches("^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]{390,}$", dkim["value"]!.GetValue<string>());
        Assert.Equal($"v=spf1 include:_spf.pm.test ~all", added.Record("spf")["value"]!.GetValue<string>());
        Assert.Equal($"_dmarc.{name}", added.Record("dmarc")["host"]!.GetValue<string>());
        Assert.False(added.Record("dmarc")["required"]!.GetValue<bool>());
        Assert.Equal(("CNAME", "bounces.pm.test"), (added.Record("return_path")["type"]!.GetValue<string>(), added.Record("return_path")["value"]!.GetValue<string>()));
        Assert.All(added["records"]!.AsArray(), r => Assert.Equal("unchecked", r!.Status()));
        Assert.False(before["verified"]!.GetValue<bool>());
        Assert.Equal("missing", before["domain"]!.Record("dkim").Status());
        Assert.Equal("pending", before["domain"]!.Status());
        Assert.True(after["verified"]!.GetValue<bool>());
        Assert.Equal("verified", after["domain"]!.Status());
        Assert.All(after["domain"]!["records"]!.AsArray(), r => Assert.Equal("found", r!.Status()));
        Assert.Equal(dkim["value"]!.GetValue<string>(), after["domain"]!.Record("dkim")["found"]![0]!.GetValue<string>());
        Assert.Equal("verified", (await live.DomainAsync(added)).Status());
        Assert.DoesNotContain("PRIVATE", (await live.DomainAsync(added)).ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Verify_WrongOrPartialRecords_SaysWhichAndStaysPending()
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var name = DomainTestKit.Unique("partial");
        var added = await live.AddDomainAsync(name);
        _dns.Publish(added.Record("dkim")["host"]!.GetValue<string>(), "TXT", "v=DKIM1; k=rsa; p=AAAAnotthiskey");
        _dns.Publish(name, "TXT", "v=spf1 include:_spf.other.example ~all");

        var result = await live.VerifyDomainAsync(added);

        Assert.False(result["verified"]!.GetValue<bool>());
        Assert.Equal("pending", result["domain"]!.Status());
        Assert.Equal("mismatch", result["domain"]!.Record("dkim").Status());
        Assert.Equal("mismatch", result["domain"]!.Record("spf").Status());
        Assert.Contains("include:_spf.pm.test", result["domain"]!.Record("spf")["detail"]!.GetValue<string>());
        Assert.Equal("missing", result["domain"]!.Record("dmarc").Status());
        Assert.Equal("missing", result["domain"]!.Record("return_path").Status());
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("[2001:db8::1]")]
    [InlineData("localhost")]
    [InlineData("com")]
    [InlineData("co.uk")]
    [InlineData("github.io")]
    [InlineData("-bad-.example")]
    [InlineData("a..example")]
    [InlineData("two-dots.example..")] // one final dot is the root; a second is an empty label
    [InlineData("three-dots.example...")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("exa mple.com")]
    public async Task Add_WhatIsNotADomainOfItsOwn_400(string name)
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());

        var error = await (await live.PostJsonAsync("/api/v1/domains", new { name })).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("name", error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Add_UnicodeName_IsStoredInItsIdnaAsciiForm()
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var suffix = Guid.NewGuid().ToString("N")[..8];

        var added = await live.AddDomainAsync($"Bücher-{suffix}.Example");

        Assert.Equal(new System.Globalization.IdnMapping().GetAscii($"bücher-{suffix}.example"), added["name"]!.GetValue<string>());
        Assert.StartsWith("xn--bcher-", added["name"]!.GetValue<string>());
        await (await live.PostJsonAsync("/api/v1/domains", new { name = added["name"]!.GetValue<string>() })).ErrorAsync(409, "RESOURCE_CONFLICT");
    }

    /// <summary>Every spelling of one internationalized name is that one name (UTS #46, as mail clients and browsers map it):
    /// capitals once gave xn--bcher-2pa, a second domain nobody owns, and full-width letters or a soft hyphen yet others.</summary>
    [Theory]
    [InlineData("BÜCHER-{0}.EXAMPLE", "bücher-{0}.example")]
    [InlineData("\uFF25\uFF38\uFF21\uFF2D\uFF30\uFF2C\uFF25-{0}.org", "example-{0}.org")]
    [InlineData("ex\u00ADample-{0}.net", "example-{0}.net")]
    public async Task Add_AnySpellingOfAName_IsThatOneName(string spelling, string name)
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var expected = new System.Globalization.IdnMapping().GetAscii(string.Format(System.Globalization.CultureInfo.InvariantCulture, name, suffix));

        var added = await live.AddDomainAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, suffix));

        Assert.Equal(expected, added["name"]!.GetValue<string>());
        await (await live.PostJsonAsync("/api/v1/domains", new { name = expected })).ErrorAsync(409, "RESOURCE_CONFLICT");
    }

    /// <summary>A name DNS carries whose DKIM record name would not fit (over 253 characters with <c>{selector}._domainkey.</c>)
    /// is refused when added; one that fits is added and checked without a fault. Checking it once answered 500.</summary>
    [Fact]
    public async Task Add_ANameTooLongForItsDkimRecord_400_TheLongestThatFits_IsChecked()
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        static string Name(int length) // labels of 60 characters, then a unique last label before .example
        {
            var tail = $"-{Guid.NewGuid().ToString("N")[..8]}.example";
            return string.Concat(Enumerable.Range(1, length - tail.Length).Select(i => i % 61 == 0 ? '.' : 'c')) + tail;
        }

        var tooLong = Name(236);
        Assert.Equal(236, tooLong.Length);
        var error = await (await live.PostJsonAsync("/api/v1/domains", new { name = tooLong })).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains("at most 221 characters", error["details"]![0]!["message"]!.GetValue<string>());

        var longest = await live.AddDomainAsync(Name(221));
        Assert.Equal("missing", (await live.VerifyDomainAsync(longest))["domain"]!.Record("dkim").Status());
        _dns.PublishRecords(longest);
        Assert.True((await live.VerifyDomainAsync(longest))["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Add_AnotherTenantsDomain_ItsSubdomain_OrItsParent_409()
    {
        var (owner, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var (other, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var name = DomainTestKit.Unique("owned");
        var sub = "mail." + name;
        await owner.AddDomainAsync(sub);

        var same = await (await other.PostJsonAsync("/api/v1/domains", new { name = sub })).ErrorAsync(409, "RESOURCE_CONFLICT");
        var deeper = await (await other.PostJsonAsync("/api/v1/domains", new { name = "eu." + sub })).ErrorAsync(409, "RESOURCE_CONFLICT");
        var parent = await (await other.PostJsonAsync("/api/v1/domains", new { name })).ErrorAsync(409, "RESOURCE_CONFLICT");
        var ownParent = await owner.AddDomainAsync(name);

        Assert.Contains("another account", same["message"]!.GetValue<string>());
        Assert.Contains(sub, deeper["message"]!.GetValue<string>());
        Assert.Contains(sub, parent["message"]!.GetValue<string>());
        Assert.Equal(name, ownParent["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/domains/{ownParent["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/domains/{ownParent["id"]}")).StatusCode);
    }

    [Fact]
    public async Task RecordsGone_FailsOnlyAfter72Hours_HoldsItsMail_MailsTheAdminsOnce_ThenResumesWhenBack()
    {
        var (tenant, admin, _) = await PortalSignInTests.MemberAsync(_app, UserRole.Admin);
        var (live, _) = await _app.ClientsAsync(tenant);
        var name = DomainTestKit.Unique("fading");
        var domain = await live.VerifiedDomainAsync(_dns, name);
        var scheduled = await live.SendAsync(new
        {
            from = $"Shop <news@{name}>", to = "held@example.com", subject = "Later", text_body = "Hi",
            scheduled_at = _app.Clock.GetUtcNow().AddDays(10).ToString("O"),
        });
        _dns.RemoveUnder(name);

        _app.Advance(TimeSpan.FromHours(6));
        Assert.True(await RecheckAsync() >= 1);
        var absentAt = _app.Clock.GetUtcNow().UtcDateTime;
        var missing = await live.DomainAsync(domain);
        _app.Advance(TimeSpan.FromHours(65));
        await RecheckAsync();
        var almost = await live.DomainAsync(domain);
        _app.Advance(TimeSpan.FromHours(7));
        await RecheckAsync();
        var failed = await live.DomainAsync(domain);
        _app.Advance(TimeSpan.FromHours(6));
        await RecheckAsync();
        var refused = await (await live.PostJsonAsync("/api/v1/emails/send", new { from = $"news@{name}", to = "a@example.com", subject = "S", text_body = "T" }))
            .ErrorAsync(403, "SENDER_DOMAIN_NOT_VERIFIED");
        var held = await live.EmailAsync(scheduled);
        var alerts = await AlertsToAsync(admin);
        var mailed = await OutboxToAsync(admin, 1);

        Assert.Equal("verified", missing.Status());
        Assert.Equal("missing", missing.Record("dkim").Status());
        Assert.Equal(absentAt, missing["records_missing_since"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal("verified", almost.Status());
        Assert.Equal("failed", failed.Status());
        Assert.Equal("held", held.Status());
        Assert.Contains(name, refused["message"]!.GetValue<string>());
        Assert.Single(alerts);
        var alert = Assert.Single(mailed);
        Assert.Contains(name, alert.Subject);
        Assert.Contains("held, not lost", alert.TextBody);
        Assert.Contains("/dashboard/settings/domains", alert.TextBody);

        _dns.PublishRecords(domain);
        _app.Advance(TimeSpan.FromHours(6));
        await RecheckAsync();
        var back = await live.DomainAsync(domain);
        var resumed = await live.EmailAsync(scheduled);

        Assert.Equal("verified", back.Status());
        Assert.Null(back["records_missing_since"]);
        Assert.Equal("queued", resumed.Status());
        Assert.Single(await AlertsToAsync(admin));
    }

    [Theory]
    [InlineData("servfail", "answered SERVFAIL")]
    [InlineData("timeout", "did not answer in time")]
    public async Task DnsServerFailure_IsNotAMissingRecord_AVerifiedDomainNeverFailsOfIt(string mode, string detail)
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var name = DomainTestKit.Unique(mode);
        var domain = await live.VerifiedDomainAsync(_dns, name);
        _dns.Mode(mode);
        try
        {
            var answer = await live.VerifyDomainAsync(domain);
            for (var i = 0; i < 4; i++)
            {
                _app.Advance(TimeSpan.FromHours(24));
                await live.VerifyDomainAsync(domain);
            }

            var later = await live.DomainAsync(domain);

            Assert.Equal("dns_error", answer["domain"]!.Record("dkim").Status());
            Assert.Contains(detail, answer["domain"]!.Record("dkim")["detail"]!.GetValue<string>());
            Assert.True(answer["domain"]!["records"]!.AsArray().All(r => r!.Status() == "dns_error"));
            Assert.Equal("verified", later.Status());
            Assert.Null(later["records_missing_since"]);
        }
        finally
        {
            _dns.Mode("normal");
        }
    }

    [Fact]
    public async Task RotateDkim_NewKeyPublishedBesideTheOld_SwitchedToOnceDnsShowsIt()
    {
        var (live, _) = await _app.ClientsAsync(await _app.CreateTenantAsync());
        var domain = await live.VerifiedDomainAsync(_dns, DomainTestKit.Unique("rotating"));
        var oldSelector = domain["dkim_selector"]!.GetValue<string>();

        var rotated = await (await live.PostAsync($"/api/v1/domains/{domain["id"]}/dkim/rotate", null)).DataAsync();
        await (await live.PostAsync($"/api/v1/domains/{domain["id"]}/dkim/rotate", null)).ErrorAsync(409, "RESOURCE_CONFLICT");
        var unpublished = await live.VerifyDomainAsync(domain);
        _dns.PublishRecords(rotated, "dkim_next");
        var switched = await live.VerifyDomainAsync(domain);

        var next = rotated["dkim_next_selector"]!.GetValue<string>();
        Assert.NotEqual(oldSelector, next);
        Assert.Equal($"{next}._domainkey.{domain["name"]}", rotated.Record("dkim_next")["host"]!.GetValue<string>());
        Assert.Equal(oldSelector, unpublished["domain"]!["dkim_selector"]!.GetValue<string>());
        Assert.Equal("missing", unpublished["domain"]!.Record("dkim_next").Status());
        Assert.True(unpublished["verified"]!.GetValue<bool>());
        Assert.Equal(next, switched["domain"]!["dkim_selector"]!.GetValue<string>());
        Assert.Null(switched["domain"]!["dkim_next_selector"]);
        Assert.Equal(rotated.Record("dkim_next")["value"]!.GetValue<string>(), switched["domain"]!.Record("dkim")["value"]!.GetValue<string>());
    }

    /// <summary>The domain alerts queued to <paramref name="address"/> (what a second failure would add to).</summary>
    private Task<List<string>> AlertsToAsync(string address) => _app.InTenantAsync(Guid.Empty, sp =>
        sp.GetRequiredService<AppDb>().InstallationMail.Where(m => m.To == address && m.Purpose == "alert:" + DomainFailureAlert.Kind)
            .Select(m => m.Subject).ToListAsync());

    /// <summary>The mails to <paramref name="address"/> in the pickup directory (these tests have no relay), once there are <paramref name="count"/>.</summary>
    private async Task<List<MimeKit.MimeMessage>> OutboxToAsync(string address, int count)
    {
        var outbox = Path.Combine(_app.DataDirectory, "outbox");
        List<MimeKit.MimeMessage> found = [];
        await PenguinMailsFactory.Eventually(() =>
        {
            found = Directory.Exists(outbox)
                ? Directory.GetFiles(outbox, "*.eml").Select(f => MimeKit.MimeMessage.Load(f)).Where(m => m.To.Mailboxes.Any(t => t.Address == address)).ToList()
                : [];
            return Task.FromResult(found.Count >= count);
        }, $"{count} mails to {address} in the outbox");
        return found;
    }
}

public sealed class DomainSqliteTests(SqliteFactory app, DnsServer dns) : DomainTests(app, dns), IClassFixture<SqliteFactory>, IClassFixture<DnsServer>;

public sealed class DomainPostgresTests(PostgresFactory app, DnsServer dns) : DomainTests(app, dns), IClassFixture<PostgresFactory>, IClassFixture<DnsServer>;
