using PenguinMails.Audit;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PenguinMails.Alerts;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Installation;
using PenguinMails.RateLimiting;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Portal;
using PenguinMails.Users;

namespace PenguinMails.Tests.Alerts;

/// <summary>
/// Alerts reach a real SMTP server as the installation's mail (the operator's sender, DKIM-signed), each once per
/// occurrence: key expiry (7 days before and on the day, to the creator and the admins), the rate limit exceeded
/// repeatedly (per-tenant thresholds), IP allow-list violations (one per key and hour, the next counting the rest).
/// The job is driven by hand (<see cref="AlertJob.RunOnceAsync"/>) on the test's clock; its own timer (a day) may run it too,
/// which changes nothing: a run at the same time finds the same alerts already sent.
/// </summary>
public abstract class AlertTests : IDisposable
{
    internal const string Operator = "alerts@example.com";
    internal const string PublicUrl = "https://mail.example.com";
    private static readonly RSA DkimKey = RSA.Create(2048);
    private readonly List<PenguinMailsFactory> _nodes = [];
    private readonly Dictionary<Guid, string> _secrets = [];

    protected AlertTests(PenguinMailsFactory app, SmtpServer smtp)
    {
        (App, Smtp) = (app, smtp);
        foreach (var (name, value) in Settings(smtp))
        {
            app.Settings[name] = value;
        }
    }

    protected PenguinMailsFactory App { get; }
    protected SmtpServer Smtp { get; }

    private static Dictionary<string, string> Settings(SmtpServer smtp) => new(smtp.Settings())
    {
        ["PenguinMails:InstallationMail:From"] = $"PenguinMails Alerts <{Operator}>",
        ["PenguinMails:PublicUrl"] = PublicUrl,
        ["PenguinMails:Dkim:Domain"] = "example.com",
        ["PenguinMails:Dkim:Selector"] = "pm1",
        ["PenguinMails:Dkim:PrivateKey"] = DkimKey.ExportPkcs8PrivateKeyPem(),
        ["PenguinMails:Alerts:IntervalSeconds"] = "86400",
        ["PenguinMails:RateLimits:Starter:Burst"] = "5",
    };

    protected Task RunJobAsync(PenguinMailsFactory? node = null) =>
        (node ?? App).Services.GetRequiredService<AlertJob>().RunOnceAsync(CancellationToken.None);

    /// <summary>The mails to <paramref name="address"/> that have reached the SMTP server, once there are <paramref name="count"/>.</summary>
    protected async Task<List<MimeMessage>> MailsToAsync(string address, int count)
    {
        await PenguinMailsFactory.Eventually(() => Task.FromResult(Smtp.MessagesTo(address).Count >= count), $"{count} mails reached {address}");
        return Smtp.MessagesTo(address);
    }

    /// <summary>Alert mails queued to <paramref name="address"/> (the outbox: what a later run would add to).</summary>
    protected Task<int> QueuedToAsync(string address) => App.InTenantAsync(Guid.Empty, sp =>
        sp.GetRequiredService<AppDb>().InstallationMail.CountAsync(m => m.To == address && m.Purpose.StartsWith("alert:")));

    protected async Task<(Guid Tenant, string Admin, string Developer)> TenantWithPeopleAsync()
    {
        var (tenant, admin, _) = await PortalSignInTests.MemberAsync(App, UserRole.Admin);
        var (_, developer, _) = await PortalSignInTests.MemberAsync(App, UserRole.Developer, tenant);
        return (tenant, admin, developer);
    }

    protected Task<ApiKey> KeyAsync(Guid tenant, string actor, string name, int? expiresInDays = null, List<string>? allowedIps = null) =>
        App.InTenantAsync(tenant, async sp =>
        {
            var request = new CreateApiKeyRequest
            {
                Name = name, Permissions = ["campaigns:read"], ExpiresInDays = expiresInDays, AllowedIps = allowedIps, Environment = "live",
            };
            var (key, secret) = await sp.GetRequiredService<ApiKeyIssuer>().CreateAsync(request, new PenguinMails.Users.ChangeActor(actor, null), default);
            _secrets[key.Id] = secret;
            return key;
        });

    protected static void FromTheOperator(MimeMessage mail)
    {
        Assert.Equal(Operator, mail.From.Mailboxes.Single().Address);
        Assert.Contains("d=example.com", mail.Headers[HeaderId.DkimSignature]);
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
    }

    [Fact]
    public async Task KeyExpiry_SevenDaysBefore_ToCreatorAndAdmins_Once_ThenOnTheDay_UnlessRotated()
    {
        var (tenant, admin, developer) = await TenantWithPeopleAsync();
        var (_, bystander, _) = await PortalSignInTests.MemberAsync(App, UserRole.Developer, tenant);
        var kept = await KeyAsync(tenant, $"user:{developer}", "Billing sync", expiresInDays: 30);
        var rotated = await KeyAsync(tenant, $"user:{developer}", "Old importer", expiresInDays: 30);
        var byCli = await KeyAsync(tenant, "cli", "Nightly export", expiresInDays: 30);
        await KeyAsync(tenant, $"user:{developer}", "Never expires");

        App.Advance(TimeSpan.FromDays(23));
        await KeyAsync(tenant, $"user:{developer}", "Short trial", expiresInDays: 5); // made short-lived: no notice
        await RunJobAsync();
        await RunJobAsync();
        var toDeveloper = await MailsToAsync(developer, 2);
        var toAdmin = await MailsToAsync(admin, 3);

        Assert.Equal(2, await QueuedToAsync(developer)); // the CLI's key has no person behind it
        Assert.Equal(3, await QueuedToAsync(admin));
        Assert.Equal(0, await QueuedToAsync(bystander));
        var billing = Assert.Single(toDeveloper, m => (m.Subject ?? "").Contains("Billing sync"));
        FromTheOperator(billing);
        Assert.Equal("[PenguinMails] API key “Billing sync” expires in 7 days", billing.Subject);
        Assert.Contains(kept.KeyId, billing.TextBody);
        Assert.Contains($"expires {kept.ExpiresAt:yyyy-MM-dd HH:mm} UTC", billing.TextBody);
        Assert.Contains($"{PublicUrl}/dashboard/settings/developers/keys/{kept.Id}/rotate", billing.TextBody);
        Assert.Contains($"href=\"{PublicUrl}/dashboard/settings/developers/keys/{kept.Id}/rotate\"", billing.HtmlBody);
        Assert.Contains(toAdmin, m => (m.Subject ?? "").Contains("Nightly export") && (m.TextBody ?? "").Contains(byCli.KeyId));

        await App.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            return await sp.GetRequiredService<ApiKeyIssuer>().RotateAsync(await db.ApiKeys.SingleAsync(k => k.Id == rotated.Id), new PenguinMails.Users.ChangeActor("test", null), default);
        });
        var expires = kept.ExpiresAt!.Value;
        AdvanceTo(expires - (expires - expires.Date) / 2); // the day of expiry, before it
        await RunJobAsync();
        AdvanceTo(expires + (expires.Date.AddDays(1) - expires) / 2); // the same day, after it
        await RunJobAsync();

        var today = Assert.Single(await MailsToAsync(developer, 3), m => (m.Subject ?? "").EndsWith("today"));
        Assert.Equal(3, await QueuedToAsync(developer)); // not the rotated key, not its replacement, not twice
        Assert.Equal(5, await QueuedToAsync(admin));
        Assert.Equal("[PenguinMails] API key “Billing sync” expires today", today.Subject);
        Assert.Contains($"{PublicUrl}/dashboard/settings/developers/keys/{kept.Id}/rotate", today.TextBody);
    }

    [Fact]
    public async Task Retention_AfterAMonth_PrunesOccurrencesAndSentMail_KeepsQueuedMail_AndNothingIsSentAgain()
    {
        var (tenant, _, developer) = await TenantWithPeopleAsync();
        var key = await KeyAsync(tenant, $"user:{developer}", "Billing sync", expiresInDays: 30);
        App.Advance(TimeSpan.FromDays(23));
        await RunJobAsync();
        await MailsToAsync(developer, 1);
        AdvanceTo(key.ExpiresAt!.Value.AddHours(1));
        await RunJobAsync(); // on the day: the second and last alert of this key
        await MailsToAsync(developer, 2);
        await App.InTenantAsync(Guid.Empty, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            db.InstallationMail.Add(new PenguinMails.Installation.InstallationMessage
            {
                Purpose = "test", To = "stuck@example.com", Subject = "Stuck", TextBody = "Still being retried",
                CreatedAt = App.Clock.GetUtcNow().UtcDateTime, NextAttemptAt = App.Clock.GetUtcNow().UtcDateTime.AddYears(1),
                DeliverBy = App.Clock.GetUtcNow().UtcDateTime.AddYears(1),
            });
            return await db.SaveChangesAsync();
        });
        int Occurrences(IServiceProvider sp) => sp.GetRequiredService<AppDb>().AlertOccurrences.IgnoreQueryFilters().Count(o => o.TenantId == tenant);
        Assert.Equal(2, await App.InTenantAsync(Guid.Empty, sp => Task.FromResult(Occurrences(sp))));

        // The hourly jobs run on the test's clock as it moves; running them by hand as well changes nothing.
        App.Advance(TimeSpan.FromDays(29));
        await App.Services.GetRequiredService<AlertOccurrenceRetention>().PruneAsync(default);
        Assert.Equal(2, await App.InTenantAsync(Guid.Empty, sp => Task.FromResult(Occurrences(sp))));
        App.Advance(TimeSpan.FromDays(2));
        await App.Services.GetRequiredService<AlertOccurrenceRetention>().PruneAsync(default);
        await App.Services.GetRequiredService<PenguinMails.Installation.InstallationMailRetention>().PruneAsync(default);
        await RunJobAsync();

        Assert.Equal(0, await App.InTenantAsync(Guid.Empty, sp => Task.FromResult(Occurrences(sp))));
        Assert.Equal(0, await QueuedToAsync(developer));
        Assert.Equal(1, await App.InTenantAsync(Guid.Empty, sp => sp.GetRequiredService<AppDb>().InstallationMail.CountAsync(m => m.To == "stuck@example.com")));
        Assert.Equal(2, Smtp.MessagesTo(developer).Count);
    }

    /// <summary>An account's address taken before the one address rule (System.Net.Mail took <c>a.@example.com</c>) fails its
    /// mail at once, with the reason, instead of throwing on every try until the deadline; the mail queued after it goes.</summary>
    [Fact]
    public async Task InstallationMail_ToAnAddressTakenBeforeTheAddressRule_FailsAtOnce_AndHoldsUpNoOther()
    {
        var good = $"ok-{Guid.NewGuid():N}@example.com";
        var legacy = $"a{Guid.NewGuid():N}.@example.com";
        var now = App.Clock.GetUtcNow().UtcDateTime;
        InstallationMessage Mail(string to, int minutesAgo) => new()
        {
            Purpose = "test", To = to, Subject = "Hello", TextBody = "An installation's own mail", CreatedAt = now,
            NextAttemptAt = now.AddMinutes(-minutesAgo), DeliverBy = now.AddDays(1),
        };
        var stored = await App.InTenantAsync(Guid.Empty, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            var first = Mail(legacy, 2);
            db.InstallationMail.AddRange(first, Mail(good, 1));
            await db.SaveChangesAsync();
            return first.Id;
        });

        App.Services.GetRequiredService<PenguinMails.Delivery.DispatchSignal>().Notify();
        await MailsToAsync(good, 1);
        InstallationMessage? row = null;
        await PenguinMailsFactory.Eventually(async () => (row = await App.InTenantAsync(Guid.Empty, sp =>
            sp.GetRequiredService<AppDb>().InstallationMail.AsNoTracking().SingleAsync(m => m.Id == stored)))
            .Status == InstallationMessageStatus.Failed, "the mail to the old address failed");

        Assert.Equal(1, row!.Attempts);
        Assert.Contains("not an address mail can be sent to", row.LastError);
        Assert.Empty(Smtp.MessagesTo(legacy));
    }

    [Fact]
    public async Task RateLimit_RepeatedRefusals_AlertTheAdminsOnce_WithTheFiguresAndTheUsageLink_PerTenantThreshold()
    {
        var (tenant, admin, developer) = await TenantWithPeopleAsync();
        var (stricter, stricterAdmin, _) = await TenantWithPeopleAsync();
        await App.InTenantAsync(stricter, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            db.TenantAlertSettings.Add(new TenantAlertSetting { Name = AlertSettings.RateLimitRefusals.Name, Value = 20 });
            return await db.SaveChangesAsync();
        });
        var key = await KeyAsync(tenant, "cli", "Hammer");
        var other = await App.CreateKeyAsync(stricter, ["campaigns:read"]);
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var minute = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

        var refused = 0;
        foreach (var client in new[] { App.Client(SecretOf(key)), App.Client(other.Key) })
        {
            for (var i = 0; i < 17; i++)
            {
                refused += (int)(await client.GetAsync("/api/v1/me")).StatusCode == 429 ? 1 : 0;
            }
        }

        await App.Services.GetRequiredService<RateLimitUsageRecorder>().FlushAsync(final: true, default);
        await RunJobAsync(); // the minute is not over: not counted yet
        Assert.Equal(0, await QueuedToAsync(admin));
        App.Advance(TimeSpan.FromMinutes(1));
        await RunJobAsync();
        await RunJobAsync();
        var mail = Assert.Single(await MailsToAsync(admin, 1));

        Assert.Equal(24, refused); // 12 per tenant: a burst of 5, the clock standing still
        Assert.Equal(1, await QueuedToAsync(admin));
        Assert.Equal(0, await QueuedToAsync(developer));
        Assert.Equal(0, await QueuedToAsync(stricterAdmin)); // 12 refusals, below its own threshold of 20
        FromTheOperator(mail);
        Assert.Equal("[PenguinMails] Rate limit exceeded: 12 requests refused", mail.Subject);
        Assert.Contains("12 requests were refused by the rate limit", mail.TextBody);
        Assert.Contains("In that time 5 requests were allowed", mail.TextBody);
        Assert.Contains("60 requests per minute with a burst of 5", mail.TextBody);
        Assert.Contains($"“Hammer” ({key.KeyId}): 12", mail.TextBody);
        var from = minute.AddMinutes(-14);
        Assert.Contains($"{PublicUrl}/dashboard/settings/developers/usage?from={from:yyyy-MM-dd}T{from:HH}%3A{from:mm}%3A00Z&to={minute.AddMinutes(1):yyyy-MM-dd}T{minute.AddMinutes(1):HH}%3A{minute.AddMinutes(1):mm}%3A00Z", mail.TextBody);

        App.Advance(TimeSpan.FromMinutes(15)); // a new slot: the same refusals are not reported again
        await RunJobAsync();
        Assert.Equal(1, await QueuedToAsync(admin));
    }

    [Fact]
    public async Task IpViolation_OneAlertPerKeyPerHour_TheNextCountsTheFurtherAttempts()
    {
        var (tenant, admin, developer) = await TenantWithPeopleAsync();
        var key = await KeyAsync(tenant, $"user:{developer}", "Office only", allowedIps: ["203.0.113.0/24"]);
        var secret = SecretOf(key);
        var now = App.Clock.GetUtcNow().UtcDateTime;
        AdvanceTo(new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc).AddHours(1).AddMinutes(1));

        await AttemptsAsync(tenant, secret, 3);
        await RunJobAsync();
        var first = Assert.Single(await MailsToAsync(admin, 1));
        App.Advance(TimeSpan.FromMinutes(10));
        await AttemptsAsync(tenant, secret, 4);
        await RunJobAsync(); // the same hour: counted, not sent
        Assert.Equal(1, await QueuedToAsync(admin));
        App.Advance(TimeSpan.FromHours(1));
        await RunJobAsync();
        await RunJobAsync();
        var next = Assert.Single(await MailsToAsync(admin, 2), m => (m.TextBody ?? "").Contains("further"));

        Assert.Equal(2, await QueuedToAsync(admin));
        Assert.Equal(0, await QueuedToAsync(developer)); // security alerts go to the admins
        FromTheOperator(first);
        Assert.Equal("[PenguinMails] Requests from a disallowed IP with key “Office only”", first.Subject);
        Assert.Contains("3 requests with the API key “Office only” came from addresses outside its allow-list", first.TextBody);
        Assert.Contains(key.KeyId, first.TextBody);
        Assert.Contains("198.51.100.7 (3)", first.TextBody);
        Assert.Contains("Allowed: 203.0.113.0/24", first.TextBody);
        Assert.Contains("GET /api/v1/me", first.TextBody);
        Assert.Contains($"{PublicUrl}/dashboard/settings/developers/keys/{key.Id}", first.TextBody);
        Assert.Contains("4 further requests with the API key “Office only”", next.TextBody);
        Assert.Contains("198.51.100.7 (4)", next.TextBody);

        App.Advance(TimeSpan.FromHours(1)); // no new attempts: nothing more
        await RunJobAsync();
        Assert.Equal(2, await QueuedToAsync(admin));
    }

    [Fact]
    public async Task ErrorRate_AtLeastItsPercentOfEnoughRequests_AlertsTheAdminsOnce_WithTheFigures_NotBelowIt()
    {
        var (tenant, admin, developer) = await TenantWithPeopleAsync();
        var (quiet, quietAdmin, _) = await TenantWithPeopleAsync();
        var failing = await App.CreateKeyAsync(tenant, ["contacts:read"]);
        var healthy = await App.CreateKeyAsync(quiet, ["contacts:read"]);
        var now = App.Clock.GetUtcNow().UtcDateTime;
        AdvanceTo(new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(1));

        await CallsAsync(tenant, failing.Key, succeeded: 50, notFound: 4); // 7.4 % of 54: at least 5 % of at least 50
        await CallsAsync(quiet, healthy.Key, succeeded: 60, notFound: 2); // 3.2 % of 62: below 5 %
        App.Advance(TimeSpan.FromMinutes(2)); // the minutes are over
        await RunJobAsync();
        await RunJobAsync();
        var mail = Assert.Single(await MailsToAsync(admin, 1));

        Assert.Equal(1, await QueuedToAsync(admin));
        Assert.Equal(0, await QueuedToAsync(developer));
        Assert.Equal(0, await QueuedToAsync(quietAdmin));
        FromTheOperator(mail);
        Assert.Equal("[PenguinMails] Error rate 7.4 % over 15 minutes", mail.Subject);
        Assert.Contains("4 of 54 API requests (7.4 %) were answered with an error", mail.TextBody);
        Assert.Contains("GET /api/v1/contacts/{id} → 404: 4", mail.TextBody);
        Assert.Contains($"{PublicUrl}/dashboard/settings/developers/usage?from=", mail.TextBody);

        App.Advance(TimeSpan.FromMinutes(15)); // a new slot: the same errors are not reported again
        await RunJobAsync();
        Assert.Equal(1, await QueuedToAsync(admin));
    }

    /// <summary>Calls a second apart (the plan's rate): successes, then lookups of contacts that do not exist; waits until all are logged.</summary>
    private async Task CallsAsync(Guid tenant, string key, int succeeded, int notFound)
    {
        using var client = App.Client(key);
        for (var i = 0; i < succeeded + notFound; i++)
        {
            App.Advance(TimeSpan.FromSeconds(1));
            var answer = await client.GetAsync(i < succeeded ? "/api/v1/me" : $"/api/v1/contacts/{Guid.NewGuid()}");
            Assert.Equal(i < succeeded ? 200 : 404, (int)answer.StatusCode);
        }

        var log = App.Services.GetRequiredService<PenguinMails.ApiUsage.ApiRequestLog>();
        await PenguinMailsFactory.Eventually(async () =>
        {
            await log.FlushAsync(default);
            return await App.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiRequests.CountAsync()) == succeeded + notFound;
        }, $"{succeeded + notFound} requests are in the log");
    }

    [Fact]
    public async Task KeyExpiry_TwoNodesRunningTheJobAtOnce_SendOneMailPerAlert()
    {
        var (tenant, admin, _) = await TenantWithPeopleAsync();
        var keys = new List<ApiKey>();
        for (var i = 0; i < 5; i++)
        {
            keys.Add(await KeyAsync(tenant, "cli", $"Worker {i}", expiresInDays: 10));
        }

        App.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        var other = Node();
        other.Clock.SetUtcNow(App.Clock.GetUtcNow());
        _ = other.Services; // started: migrated, its sender running
        await Task.WhenAll(RunJobAsync(), RunJobAsync(other), RunJobAsync(), RunJobAsync(other));
        var mails = await MailsToAsync(admin, 5);

        Assert.Equal(5, await QueuedToAsync(admin));
        Assert.Equal(5, await App.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().AlertOccurrences.CountAsync()));
        Assert.Equal(keys.Select(k => $"[PenguinMails] API key “{k.Name}” expires in 7 days").Order(), mails.Select(m => m.Subject ?? "").Order());
    }

    [Fact]
    public async Task SendOnce_SameOccurrenceManyTimesAtOnceOnTwoNodes_OneRecordOneMail()
    {
        var (tenant, admin, _) = await TenantWithPeopleAsync();
        var other = Node();
        var period = App.Clock.GetUtcNow().UtcDateTime;

        var sent = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? App : other).InTenantAsync(tenant, sp =>
        {
            var outbox = sp.GetRequiredService<AlertOutbox>();
            var occurrence = outbox.Occurrence(AlertKinds.RateLimitExceeded, "tenant", period, period);
            return outbox.SendOnceAsync(occurrence, [admin], new AlertMail("Once", "only once", "<p>only once</p>"), default);
        })));
        var mail = Assert.Single(await MailsToAsync(admin, 1));

        Assert.Equal(1, sent.Count(s => s));
        Assert.Equal(1, await QueuedToAsync(admin));
        Assert.Equal(1, await App.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().AlertOccurrences.CountAsync()));
        Assert.Equal("Once", mail.Subject);
    }

    private void AdvanceTo(DateTime utc) => App.Advance(utc - App.Clock.GetUtcNow().UtcDateTime);

    private async Task AttemptsAsync(Guid tenant, string secret, int count)
    {
        var before = await IpDeniedAsync(tenant);
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            request.Headers.Add("X-Forwarded-For", "198.51.100.7");
            request.Headers.Add("X-Forwarded-Proto", "https");
            Assert.Equal(403, (int)(await App.Client().SendAsync(request)).StatusCode); // the request stays refused
        }

        // The audit log writes the first refusal at once and the rest as one summary when the minute is over.
        App.Advance(IpDenials.Window + TimeSpan.FromSeconds(5));
        await PenguinMailsFactory.Eventually(async () => await IpDeniedAsync(tenant) == before + count, "the refusals are recorded");
    }

    /// <summary>Refusals recorded: the sum of the entries' occurrences (a summary entry stands for many).</summary>
    private Task<int> IpDeniedAsync(Guid tenant) => App.InTenantAsync(tenant, sp =>
        sp.GetRequiredService<AppDb>().SecurityEvents.Where(e => e.Type == "auth.ip_denied").SumAsync(e => e.Occurrences));

    private string SecretOf(ApiKey key) => _secrets[key.Id];

    private NodeFactory Node()
    {
        var connection = App.Provider == "sqlite" ? $"Data Source={Path.Combine(App.DataDirectory, "penguinmails.db")}" : App.ConnectionString;
        var node = new NodeFactory(App.Provider, connection, App.HashSecret, App.MasterKey);
        foreach (var (name, value) in Settings(Smtp))
        {
            node.Settings[name] = value;
        }

        _nodes.Add(node);
        return node;
    }

    public void Dispose()
    {
        _nodes.ForEach(n => n.Dispose());
        GC.SuppressFinalize(this);
    }

    /// <summary>Another node of the same deployment: same database and secrets, its own data directory and clock.</summary>
    private sealed class NodeFactory(string provider, string connectionString, string secret, string masterKey) : PenguinMailsFactory
    {
        public override string Provider => provider;
        public override string ConnectionString => connectionString;
        public override string HashSecret => secret;
        public override string MasterKey => masterKey;
    }
}

public sealed class AlertSqliteTests(SqliteFactory app, SmtpServer smtp)
    : AlertTests(app, smtp), IClassFixture<SqliteFactory>, IClassFixture<SmtpServer>;

public sealed class AlertPostgresTests(PostgresFactory app, SmtpServer smtp)
    : AlertTests(app, smtp), IClassFixture<PostgresFactory>, IClassFixture<SmtpServer>;
