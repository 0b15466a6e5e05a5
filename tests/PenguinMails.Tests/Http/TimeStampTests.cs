using System.Globalization;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Cli;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// Every time stamp the API reads must carry Z or an offset (RFC 3339): a value without one is refused, in bodies
/// and query strings alike, instead of being read in the server's local zone.
/// </summary>
public abstract class TimeStampTests(PenguinMailsFactory app)
{
    private static string At(DateTimeOffset time, string format = "yyyy-MM-ddTHH:mm:ss") =>
        time.ToString(format, CultureInfo.InvariantCulture);

    private async Task<HttpClient> ClientAsync()
    {
        var tenant = await app.CreateTenantAsync(Tenancy.Plan.Business);
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AdminFull]);
        return app.Client(key);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("date")]
    [InlineData("space")]
    [InlineData("words")]
    public async Task TimeStampsWithoutAZone_AreRefused_InEveryBodyThatReadsOne(string form)
    {
        var client = await ClientAsync();
        var later = app.Clock.GetUtcNow().AddDays(2);
        var value = form switch
        {
            "local" => At(later),
            "date" => At(later, "yyyy-MM-dd"),
            "space" => At(later) + " 01:00",
            _ => "tomorrow at ten",
        };
        var campaign = await (await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "C", from = "a@example.com", subject = "S", html_body = "B", audience = new { all = true },
        })).DataAsync(201);
        var campaignId = campaign["id"]!.GetValue<string>();
        (string Path, object Body)[] writes =
        [
            ("/api/v1/emails/send", new { from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B", scheduled_at = value }),
            ("/api/v1/emails/batch", new { emails = new[] { new { from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B", scheduled_at = value } } }),
            ($"/api/v1/campaigns/{campaignId}/schedule", new { scheduled_at = value }),
            ($"/api/v1/campaigns/{campaignId}/send", new { scheduled_at = value }),
            ("/api/v1/platform/api-keys", new { name = "K", preset = "read_only", expires_at = value }),
        ];

        foreach (var (path, body) in writes)
        {
            var response = await client.PostJsonAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == 400, $"{path} with {value}: {(int)response.StatusCode} {text}");
            Assert.Contains("RFC 3339", text);
            var field = path.EndsWith("api-keys") ? "expires_at" : path.EndsWith("batch") ? "emails[0].scheduled_at" : "scheduled_at";
            Assert.Contains($"\"field\":\"{field}\"", text);
        }
    }

    [Fact]
    public async Task TimeStampsWithAZoneOrOffset_MeanTheSameInstant()
    {
        var client = await ClientAsync();
        var later = app.Clock.GetUtcNow().AddDays(2);
        var utc = new DateTimeOffset(later.Year, later.Month, later.Day, 15, 0, 0, TimeSpan.Zero);

        var inZ = await client.PostJsonAsync("/api/v1/emails/send", new
        {
            from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B", scheduled_at = At(utc) + "Z",
        });
        var inOffset = await client.PostJsonAsync("/api/v1/emails/send", new
        {
            from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B",
            scheduled_at = At(utc.ToOffset(TimeSpan.FromHours(-5))) + "-05:00",
        });

        var expected = At(utc) + "Z";
        Assert.Equal(expected, (await inZ.DataAsync())["scheduled_at"]!.GetValue<string>());
        Assert.Equal(expected, (await inOffset.DataAsync())["scheduled_at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2026-12-03T10:00:00.1234567891Z", "2026-12-03T10:00:00.1234567Z")]
    [InlineData("2026-12-03t10:00:00z", "2026-12-03T10:00:00Z")]
    [InlineData("2026-12-04T00:00:00+14:00", "2026-12-03T10:00:00Z")]
    [InlineData("2026-12-03T10:00:00-00:00", "2026-12-03T10:00:00Z")]
    [InlineData("2026-11-30T23:59:60Z", "2026-12-01T00:00:00Z")]
    public async Task TimeStamps_EveryRfc3339Form_IsRead(string given, string expected)
    {
        var client = await ClientAsync();

        var response = await client.PostJsonAsync("/api/v1/emails/send",
            new { from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B", scheduled_at = given });

        Assert.Equal(expected, (await response.DataAsync())["scheduled_at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/emails?created_after=")]
    [InlineData("/api/v1/emails?created_before=")]
    [InlineData("/api/v1/contacts?created_after=")]
    [InlineData("/api/v1/contacts?created_before=")]
    public async Task QueryTimeStamps_WithoutAZone_OrWithAPlusTurnedSpace_AreRefusedSayingHow(string url)
    {
        var client = await ClientAsync();
        foreach (var value in new[] { "2026-12-01T10:00:00", "2026-12-01", "2026-12-01T10:00:00+01:00" })
        {
            var error = await (await client.GetAsync(url + value)).ErrorAsync(400, "VALIDATION_ERROR");

            var message = Assert.Single(error["details"]!.AsArray())!["message"]!.GetValue<string>();
            Assert.Contains("%2B", message);
            Assert.Contains("Z", message);
        }

        var ok = await client.GetAsync(url + "2026-12-01T10:00:00%2B01:00");
        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal(200, (int)(await client.GetAsync(url + "2026-12-01T10:00:00Z")).StatusCode);
    }
}

public sealed class TimeStampSqliteTests(SqliteFactory app) : TimeStampTests(app), IClassFixture<SqliteFactory>;

public sealed class TimeStampPostgresTests(PostgresFactory app) : TimeStampTests(app), IClassFixture<PostgresFactory>;

/// <summary>The real server under a zone far from UTC: a zoneless time is refused, an offset is honoured.</summary>
public sealed class TimeStampsOnANonUtcHostTests : IAsyncLifetime
{
    private readonly PenguinMailsExecutable _executable = new(new Dictionary<string, string> { ["TZ"] = "America/New_York" });
    private ServeProcess _server = null!;
    private string _key = "";

    public async Task InitializeAsync()
    {
        Assert.Equal(0, (await _executable.RunAsync("tenants", "create", "--name", "Zone Corp")).Exit);
        Assert.Equal(0, (await _executable.RunAsync("domains", "add", "--tenant", "zone-corp", "--name", "example.com", "--verified")).Exit);
        _key = Assert.Single((await _executable.RunAsync("keys", "create", "--tenant", "zone-corp", "--name", "k", "--preset", "full_access")).OutLines);
        _server = await ServeProcess.StartAsync(_executable);
    }

    [Fact]
    public async Task OnANewYorkHost_ZonelessIsRefused_AndOffsetsMeanTheirInstant()
    {
        using var client = _server.Client(_key);
        var later = DateTimeOffset.UtcNow.AddDays(2);
        var utc = new DateTimeOffset(later.Year, later.Month, later.Day, 15, 0, 0, TimeSpan.Zero);
        object Send(string at) => new { from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B", scheduled_at = at };

        var zoneless = await client.PostJsonAsync("/api/v1/emails/send", Send(utc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)));
        var offset = await client.PostJsonAsync("/api/v1/emails/send",
            Send(utc.ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + "+09:00"));

        await zoneless.ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal(utc.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + "Z",
            (await offset.DataAsync())["scheduled_at"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _executable.Dispose();
    }
}
