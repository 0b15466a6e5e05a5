using System.Globalization;
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

    [Theory]
    [InlineData("local")]
    [InlineData("date")]
    [InlineData("space")]
    [InlineData("words")]
    public async Task TimeStampsWithoutAZone_AreRefused_InEveryBodyThatReadsOne(string form)
    {
        var client = await app.AdminClientAsync();
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
            var refused = path.EndsWith("batch") ? 200 : 400; // a batch refuses the item alone, in its result (Emails/BatchItems)
            Assert.True((int)response.StatusCode == refused, $"{path} with {value}: {(int)response.StatusCode} {text}");
            Assert.Contains("RFC 3339", text);
            var field = path.EndsWith("api-keys") ? "expires_at" : path.EndsWith("batch") ? "emails[0].scheduled_at" : "scheduled_at";
            Assert.Contains($"\"field\":\"{field}\"", text);
        }
    }

    [Fact]
    public async Task TimeStampsWithAZoneOrOffset_MeanTheSameInstant()
    {
        var client = await app.AdminClientAsync();
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
    [InlineData("2026-12-04T01:00:00+15:00", "2026-12-03T10:00:00Z")]
    [InlineData("2026-12-02T11:00:00-23:00", "2026-12-03T10:00:00Z")]
    public async Task TimeStamps_EveryRfc3339Form_IsRead(string given, string expected)
    {
        var client = await app.AdminClientAsync();

        var response = await client.PostJsonAsync("/api/v1/emails/send",
            new { from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B", scheduled_at = given });

        Assert.Equal(expected, (await response.DataAsync())["scheduled_at"]!.GetValue<string>());
    }

    /// <summary>
    /// A value of the right form that names no moment, or one outside years 1–9999, is refused saying which, in every
    /// body field and every query parameter that reads a time stamp: never "needs a zone" (it has one), never a 500
    /// (a leap second on the last day of 9999 once overflowed).
    /// </summary>
    [Theory]
    [InlineData("2026-02-30T10:00:00Z", "does not exist")]
    [InlineData("2026-13-01T10:00:00Z", "does not exist")]
    [InlineData("2026-12-01T24:00:00Z", "does not exist")]
    [InlineData("2026-12-01T10:60:00Z", "does not exist")]
    [InlineData("2026-12-01T10:00:00+24:00", "does not exist")]
    [InlineData("0000-12-31T10:00:00Z", "out of range")]
    [InlineData("9999-12-31T23:59:60Z", "out of range")]
    [InlineData("9999-12-31T23:30:00-01:00", "out of range")]
    [InlineData("0001-01-01T00:30:00+01:00", "out of range")]
    [InlineData("٢٠٢٦-12-01T10:00:00Z", "RFC 3339")]
    public async Task TimeStamps_NamingNoMomentOrOutOfRange_AreRefusedSayingWhich(string value, string said)
    {
        var client = await app.AdminClientAsync();
        var campaign = await (await client.PostJsonAsync("/api/v1/campaigns", new
        {
            name = "C", from = "a@example.com", subject = "S", html_body = "B", audience = new { all = true },
        })).DataAsync(201);
        var campaignId = campaign["id"]!.GetValue<string>();
        var failures = new List<string>();
        (string Path, object Body, string Field)[] writes =
        [
            ("/api/v1/emails/send", new { from = "a@example.com", to = "b@example.com", subject = "S", html_body = "B", scheduled_at = value }, "scheduled_at"),
            ($"/api/v1/campaigns/{campaignId}/schedule", new { scheduled_at = value }, "scheduled_at"),
            ("/api/v1/platform/api-keys", new { name = "K", preset = "read_only", expires_at = value }, "expires_at"),
            ($"/api/v1/webhooks/{Guid.NewGuid()}/replay", new { from = value, to = "2026-12-01T10:00:00Z" }, "from"),
        ];
        foreach (var (path, body, field) in writes)
        {
            failures.AddRange(await RefusedAsync(await client.PostJsonAsync(path, body), $"POST {path}", field, said));
        }

        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        var reads = 0;
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            var parameters = operations!["get"]?["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()) ?? [];
            foreach (var name in parameters.Where(n => n is "from" or "to" or "created_after" or "created_before"))
            {
                reads++;
                var url = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", Guid.NewGuid().ToString())
                    + $"?{name}={Uri.EscapeDataString(value)}";
                failures.AddRange(await RefusedAsync(await client.GetAsync(url), $"GET {url}", name, said));
            }
        }

        Assert.True(reads >= 16, $"only {reads} query parameters read time stamps");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static async Task<IEnumerable<string>> RefusedAsync(HttpResponseMessage response, string what, string field, string said)
    {
        var text = await response.Content.ReadAsStringAsync();
        var detail = (int)response.StatusCode == 400
            ? System.Text.Json.Nodes.JsonNode.Parse(text)?["error"]?["details"]?.AsArray().FirstOrDefault(d => d?["field"]?.GetValue<string>() == field)
            : null;
        return detail?["message"]?.GetValue<string>().Contains(said, StringComparison.Ordinal) == true ? [] : [$"{what}: {(int)response.StatusCode} {text}"];
    }

    [Theory]
    [InlineData("/api/v1/emails?created_after=")]
    [InlineData("/api/v1/emails?created_before=")]
    [InlineData("/api/v1/contacts?created_after=")]
    [InlineData("/api/v1/contacts?created_before=")]
    public async Task QueryTimeStamps_WithoutAZone_OrWithAPlusTurnedSpace_AreRefusedSayingHow(string url)
    {
        var client = await app.AdminClientAsync();
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
