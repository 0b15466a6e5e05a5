using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.ApiUsage;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.ApiUsage;

/// <summary>
/// Issue 11 "Must show": a known pattern of traffic over several keys, endpoints and minutes, with the test's clock
/// and latencies, and every figure of the usage API computed from the pattern by the test itself.
/// </summary>
public abstract class ApiUsageTests(PenguinMailsFactory app)
{
    private const string Contacts = "/api/v1/contacts";
    private const string List = "GET /api/v1/contacts";
    private const string One = "GET /api/v1/contacts/{id}";

    private sealed record Sent(int Minute, string Key, string Endpoint, int Status, string? Code, int Ms, bool Authenticated);

    [Fact]
    public async Task KnownPattern_EveryFigureIsThePatterns()
    {
        var tenant = await app.CreateTenantAsync();
        var (a, aId) = await app.CreateKeyAsync(tenant, Permissions.All, name: "A");
        var (b, bId) = await app.CreateKeyAsync(tenant, [Permissions.ContactsRead], name: "B", environment: "test");
        var (d, _) = await app.CreateKeyAsync(tenant, [Permissions.ContactsRead], expiresInDays: 1, name: "D");
        var (reader, _) = await app.CreateKeyAsync(tenant, [Permissions.AnalyticsRead], name: "reader");
        app.Advance(TimeSpan.FromDays(2)); // D has expired: its requests are the tenant's own 401s
        var forged = ApiKeyFormat.Seal(a[..ApiKeyFormat.KeyIdLength] + ApiKeyFormat.Generate(KeyEnvironment.Live)[ApiKeyFormat.KeyIdLength..^ApiKeyFormat.ChecksumLength]);
        var unknown = ApiKeyFormat.Generate(KeyEnvironment.Live);
        await using var server = UsageKit.WithLatency(app);
        var start = UsageKit.NextMinute(app);
        var sent = new List<Sent>();

        async Task Send(int minute, string key, string name, string path, string endpoint, int status, string? code, int ms = 0, bool authenticated = true)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add(UsageKit.LatencyHeader, ms.ToString());
            var response = await UsageKit.Client(server, key).SendAsync(request);
            Assert.Equal(status, (int)response.StatusCode);
            if (name != "unknown")
            {
                sent.Add(new Sent(minute, name, endpoint, status, code, ms, authenticated));
            }
        }

        void At(int minute) => app.Clock.SetUtcNow(start.AddMinutes(minute));
        var missing = $"{Contacts}/{Guid.NewGuid()}";

        At(0);
        foreach (var ms in new[] { 3, 3, 3, 3, 3, 3, 3, 3, 100, 700 })
        {
            await Send(0, a, "A", Contacts, List, 200, null, ms);
        }

        await Send(0, a, "A", Contacts + "?limit=0", List, 400, "VALIDATION_ERROR");
        await Send(0, a, "A", Contacts + "?limit=0", List, 400, "VALIDATION_ERROR");
        for (var i = 0; i < 3; i++)
        {
            await Send(0, b, "B", Contacts, List, 200, null, 20);
        }

        await Send(0, b, "B", missing, One, 404, "RESOURCE_NOT_FOUND");
        await Send(0, b, "B", missing, One, 404, "RESOURCE_NOT_FOUND");

        At(1);
        for (var i = 0; i < 4; i++)
        {
            await Send(1, a, "A", missing, One, 404, "RESOURCE_NOT_FOUND", 5);
        }

        for (var i = 0; i < 3; i++)
        {
            await Send(1, forged, "A", Contacts, List, 401, "INVALID_API_KEY", authenticated: false);
        }

        await Send(1, unknown, "unknown", Contacts, List, 401, "INVALID_API_KEY");
        await Send(1, d, "D", Contacts, List, 401, "API_KEY_EXPIRED");
        await Send(1, d, "D", Contacts, List, 401, "API_KEY_EXPIRED");

        At(2); // the burst of 100 is whole again: 100 served, 5 refused
        for (var i = 0; i < 105; i++)
        {
            await Send(2, a, "A", Contacts, List, i < 100 ? 200 : 429, i < 100 ? null : "RATE_LIMIT_EXCEEDED");
        }

        At(3);
        await Send(3, b, "B", Contacts + "?limit=0", List, 400, "VALIDATION_ERROR", 40);

        At(10);
        await UsageKit.FlushAsync(server.Services, app, tenant, sent.Count);
        var query = $"/api/v1/tenant/analytics/api-usage?from={UsageKit.Iso(start)}&to={UsageKit.Iso(start.AddMinutes(4))}";
        var response = await UsageKit.Client(server, reader).GetAsync(query);
        var body = await response.BodyAsync();
        var data = await response.DataAsync();

        var mine = sent.Where(s => s.Authenticated).ToList();
        Assert.Equal(129, mine.Count);
        Assert.Equal("minute", data["step"]!.GetValue<string>());
        Assert.Equal(mine.Count, data["total_requests"]!.GetValue<long>());
        Assert.Equal(Rate(mine.Count(s => s.Status < 400), mine.Count), data["success_rate"]!.GetValue<decimal>());
        Assert.Equal(Math.Round(mine.Sum(s => s.Ms) / (double)mine.Count, 2), data["avg_response_ms"]!.GetValue<double>());
        Assert.Equal(Percentile(mine, 0.50), data["p50_response_ms"]!.GetValue<double>());
        Assert.Equal(Percentile(mine, 0.95), data["p95_response_ms"]!.GetValue<double>());
        Assert.Equal(Percentile(mine, 0.99), data["p99_response_ms"]!.GetValue<double>());
        Assert.Equal(3, data["unauthenticated_requests"]!.GetValue<long>());
        var unverified = Assert.Single(data["unauthenticated"]!.AsArray());
        Assert.Equal(a[..ApiKeyFormat.KeyIdLength], unverified!["key_id"]!.GetValue<string>());
        Assert.Equal(3, unverified["count"]!.GetValue<long>());

        // Every request that reached the limiter (the verified ones of live keys) is in its minute.
        var limit = data["rate_limit"]!;
        Assert.Equal("starter", limit["plan"]!.GetValue<string>());
        Assert.Equal(60, limit["limit_per_minute"]!.GetValue<int>());
        Assert.Equal(100, limit["burst"]!.GetValue<int>());
        var limited = mine.Where(s => s.Key != "D").ToList();
        var peak = limited.GroupBy(s => s.Minute).MaxBy(g => g.Count())!;
        Assert.Equal(peak.Count(), limit["peak_used"]!.GetValue<long>());
        Assert.Equal(start.AddMinutes(peak.Key), limit["peak_at"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Equal(Math.Round(peak.Count() / 60m, 4), limit["percent_of_limit"]!.GetValue<decimal>());
        Assert.Equal(mine.Count(s => s.Status == 429), limit["exceeded_count"]!.GetValue<long>());
        Assert.Equal(Enumerable.Range(0, 4).Select(m => (long)limited.Count(s => s.Minute == m)),
            limit["series"]!.AsArray().Select(p => p!["used"]!.GetValue<long>()));

        Assert.Equal(Enumerable.Range(0, 4).Select(m => $"{mine.Count(s => s.Minute == m)}/{mine.Count(s => s.Minute == m && s.Status < 400)}/{mine.Count(s => s.Minute == m && s.Status >= 400)}"),
            data["series"]!.AsArray().Select(p => $"{p!["total"]}/{p["success"]}/{p["errors"]}"));

        var endpoints = data["endpoints"]!.AsArray();
        Assert.Equal([List, One], endpoints.Select(e => e!["endpoint"]!.GetValue<string>()));
        foreach (var endpoint in endpoints)
        {
            var of = mine.Where(s => s.Endpoint == endpoint!["endpoint"]!.GetValue<string>()).ToList();
            Assert.Equal(of.Count, endpoint!["requests"]!.GetValue<long>());
            Assert.Equal(of.Count(s => s.Status >= 400), endpoint["errors"]!.GetValue<long>());
            Assert.Equal(Rate(of.Count(s => s.Status < 400), of.Count), endpoint["success_rate"]!.GetValue<decimal>());
            Assert.Equal(Math.Round(of.Sum(s => s.Ms) / (double)of.Count, 2), endpoint["avg_response_ms"]!.GetValue<double>());
            Assert.Equal(Percentile(of, 0.95), endpoint["p95_response_ms"]!.GetValue<double>());
        }

        var errors = mine.Where(s => s.Status >= 400).GroupBy(s => (s.Status, s.Code))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Status).Select(g => $"{g.Key.Status} {g.Key.Code} {g.Count()}");
        Assert.Equal(errors, data["errors"]!.AsArray().Select(e => $"{e!["status"]} {e["code"]} {e["count"]}"));

        var recent = data["recent_errors"]!.AsArray();
        Assert.Equal(10, recent.Count);
        Assert.Equal("VALIDATION_ERROR", recent[0]!["code"]!.GetValue<string>());
        Assert.Equal(b[..ApiKeyFormat.KeyIdLength], recent[0]!["key"]!.GetValue<string>());
        Assert.Equal(List, recent[0]!["endpoint"]!.GetValue<string>());
        Assert.All(recent.Skip(1).Take(5), e => Assert.Equal(429, e!["status"]!.GetValue<int>()));

        var keys = data["keys"]!.AsArray();
        Assert.Equal(["A", "B", "D"], keys.Select(k => k!["name"]!.GetValue<string>()));
        foreach (var key in keys)
        {
            var of = mine.Where(s => s.Key == key!["name"]!.GetValue<string>()).ToList();
            Assert.Equal(of.Count, key!["requests"]!.GetValue<long>());
            Assert.Equal(Rate(of.Count(s => s.Status < 400), of.Count), key["success_rate"]!.GetValue<decimal>());
        }

        Assert.Equal(aId, keys[0]!["id"]!.GetValue<Guid>());
        Assert.False(body["meta"]!["cached"]!.GetValue<bool>());
        Assert.Equal(0, body["meta"]!["dropped_requests"]!.GetValue<long>());

        // By hour and by day the limiter's minutes are grouped in the database: the same peak and refusals.
        foreach (var (range, step) in new[] { ("24h", "hour"), ("30d", "day") })
        {
            var wide = await (await UsageKit.Client(server, reader).GetAsync($"/api/v1/tenant/analytics/api-usage?range={range}")).DataAsync();
            Assert.Equal(step, wide["step"]!.GetValue<string>());
            var wideLimit = wide["rate_limit"]!;
            Assert.Equal(peak.Count(), wideLimit["peak_used"]!.GetValue<long>());
            Assert.Equal(start.AddMinutes(peak.Key), wideLimit["peak_at"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.Equal(5, wideLimit["exceeded_count"]!.GetValue<long>());
            var busiest = wideLimit["series"]!.AsArray().MaxBy(p => p!["used"]!.GetValue<long>())!;
            Assert.Equal(peak.Count(), busiest["used"]!.GetValue<long>());
            var peakAt = start.AddMinutes(peak.Key);
            Assert.Equal(step == "hour" ? peakAt.AddTicks(-(peakAt.Ticks % TimeSpan.TicksPerHour)) : peakAt.Date,
                busiest["t"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.Equal(5, wideLimit["series"]!.AsArray().Sum(p => p!["refused"]!.GetValue<long>()));
        }

        // Filters: one key, one environment, one status class, one endpoint.
        var byKey = await (await UsageKit.Client(server, reader).GetAsync($"{query}&key_id={bId}")).DataAsync();
        Assert.Equal(mine.Count(s => s.Key == "B"), byKey["total_requests"]!.GetValue<long>());
        var test = await (await UsageKit.Client(server, reader).GetAsync($"{query}&environment=test")).DataAsync();
        Assert.Equal(mine.Count(s => s.Key == "B"), test["total_requests"]!.GetValue<long>());
        var clientErrors = await (await UsageKit.Client(server, reader).GetAsync($"{query}&status=4xx")).DataAsync();
        Assert.Equal(mine.Count(s => s.Status is >= 400 and < 500), clientErrors["total_requests"]!.GetValue<long>());
        var refused = await (await UsageKit.Client(server, reader).GetAsync($"{query}&status=429")).DataAsync();
        Assert.Equal(5, refused["total_requests"]!.GetValue<long>());
        var single = await (await UsageKit.Client(server, reader).GetAsync($"{query}&endpoint={Uri.EscapeDataString(One)}")).DataAsync();
        Assert.Equal(mine.Count(s => s.Endpoint == One), single["total_requests"]!.GetValue<long>());

        // The raw log: newest first, filtered, paged.
        var page = await UsageKit.Client(server, reader).GetAsync($"/api/v1/tenant/analytics/api-requests?status=404&limit=4&from={UsageKit.Iso(start)}");
        var pageBody = await page.BodyAsync();
        Assert.Equal(4, (await page.DataAsync()).AsArray().Count);
        var cursor = pageBody["meta"]!["pagination"]!["next_cursor"]!.GetValue<string>();
        var rest = await (await UsageKit.Client(server, reader).GetAsync($"/api/v1/tenant/analytics/api-requests?status=404&limit=4&from={UsageKit.Iso(start)}&cursor={cursor}")).DataAsync();
        Assert.Equal(2, rest.AsArray().Count);
        Assert.All(rest.AsArray(), r => Assert.Equal(One, r!["endpoint"]!.GetValue<string>()));
    }

    [Fact]
    public async Task TwoNodes_SameMinute_AddUpInOneRollupRow()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.ContactsRead, Permissions.AnalyticsRead]);
        await using var other = UsageKit.WithLatency(app);
        var start = UsageKit.NextMinute(app);
        app.Clock.SetUtcNow(start);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (int)(await app.Client(key).GetAsync(Contacts)).StatusCode);
        }

        await UsageKit.FlushAsync(app.Services, app, tenant, 3);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(200, (int)(await UsageKit.Client(other, key).GetAsync(Contacts)).StatusCode);
        }

        await UsageKit.FlushAsync(other.Services, app, tenant, 7);
        var rows = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<PenguinMails.Data.AppDb>().ApiUsageRollups
            .OrderBy(r => r.Grain).Select(r => $"{r.Grain}:{r.Endpoint}:{r.Requests}:{r.B0}").ToListAsync());
        Assert.Equal([$"1:{List}:7:7", $"60:{List}:7:7", $"1440:{List}:7:7"], rows);

        app.Clock.SetUtcNow(start.AddMinutes(5));
        var query = $"/api/v1/tenant/analytics/api-usage?from={UsageKit.Iso(start)}&to={UsageKit.Iso(start.AddMinutes(1))}";
        foreach (var node in new[] { app.Client(key), UsageKit.Client(other, key) })
        {
            Assert.Equal(7, (await (await node.GetAsync(query)).DataAsync())["total_requests"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task SecondCallWithinTheMinute_AnswersTheCachedFigures_ThenFresh()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AnalyticsRead]);
        await using var server = UsageKit.WithLatency(app);
        var client = UsageKit.Client(server, key);
        const string Url = "/api/v1/tenant/analytics/api-usage?range=1h";

        var first = await client.GetAsync(Url);
        var firstBody = await first.BodyAsync();
        Assert.Equal(0, firstBody["data"]!["total_requests"]!.GetValue<long>());
        Assert.False(firstBody["meta"]!["cached"]!.GetValue<bool>());
        Assert.Equal(60, firstBody["meta"]!["cache_seconds"]!.GetValue<int>());
        await UsageKit.FlushAsync(server.Services, app, tenant, 1);

        app.Advance(TimeSpan.FromSeconds(30));
        var second = await (await client.GetAsync(Url)).BodyAsync();
        Assert.True(second["meta"]!["cached"]!.GetValue<bool>());
        Assert.Equal(0, second["data"]!["total_requests"]!.GetValue<long>());
        Assert.Equal(firstBody["meta"]!["computed_at"]!.ToString(), second["meta"]!["computed_at"]!.ToString());
        await UsageKit.FlushAsync(server.Services, app, tenant, 2);

        app.Advance(TimeSpan.FromSeconds(31));
        var third = await (await client.GetAsync(Url)).BodyAsync();
        Assert.False(third["meta"]!["cached"]!.GetValue<bool>());
        Assert.Equal(2, third["data"]!["total_requests"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("range=2h", "range")]
    [InlineData("range=1h&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z", "range")]
    [InlineData("from=2026-11-01T00:00:00Z", "to")]
    [InlineData("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("from=2026-11-01T00:00:00&to=2026-11-02T00:00:00Z", "from")]
    [InlineData("from=2020-01-01T00:00:00Z&to=2026-11-02T00:00:00Z", "to")]
    [InlineData("environment=staging", "environment")]
    [InlineData("status=600", "status")]
    [InlineData("status=6xx", "status")]
    [InlineData("endpoint=contacts", "endpoint")]
    public async Task InvalidQuery_IsAValidationError_NamingTheField(string query, string field)
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.AnalyticsRead]);
        var error = await (await app.Client(key).GetAsync($"/api/v1/tenant/analytics/api-usage?{query}")).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains(error["details"]!.AsArray(), d => d!["field"]!.GetValue<string>() == field);
    }

    [Fact]
    public async Task AnotherTenantsKey_IsNotFound_AndItsRequestsAreNeverSeen()
    {
        var mineTenant = await app.CreateTenantAsync();
        var (reader, _) = await app.CreateKeyAsync(mineTenant, [Permissions.AnalyticsRead]);
        var other = await app.CreateTenantAsync();
        var (theirs, theirId) = await app.CreateKeyAsync(other, [Permissions.ContactsRead]);
        await using var server = UsageKit.WithLatency(app);
        Assert.Equal(200, (int)(await UsageKit.Client(server, theirs).GetAsync(Contacts)).StatusCode);
        await UsageKit.FlushAsync(server.Services, app, other, 1);

        foreach (var id in new[] { theirId.ToString(), theirs[..ApiKeyFormat.KeyIdLength] })
        {
            await (await app.Client(reader).GetAsync($"/api/v1/tenant/analytics/api-usage?key_id={id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
            await (await app.Client(reader).GetAsync($"/api/v1/tenant/analytics/api-requests?key_id={id}")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        }

        var usage = await (await app.Client(reader).GetAsync("/api/v1/tenant/analytics/api-usage?range=1h")).DataAsync();
        Assert.All(usage["keys"]!.AsArray(), k => Assert.Equal(reader[..ApiKeyFormat.KeyIdLength], k!["key_id"]!.GetValue<string>()));
        // Only the reader's own requests, never the other tenant's.
        var log = (await (await app.Client(reader).GetAsync("/api/v1/tenant/analytics/api-requests")).DataAsync()).AsArray();
        Assert.All(log, r => Assert.Equal(reader[..ApiKeyFormat.KeyIdLength], r!["key_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CsvExports_NeedAnalyticsExport_AndHonourTheFilters()
    {
        var tenant = await app.CreateTenantAsync();
        var (caller, _) = await app.CreateKeyAsync(tenant, [Permissions.ContactsRead]);
        var (exporter, _) = await app.CreateKeyAsync(tenant, [Permissions.AnalyticsExport]);
        await using var server = UsageKit.WithLatency(app);
        var start = UsageKit.NextMinute(app);
        app.Clock.SetUtcNow(start);
        Assert.Equal(400, (int)(await UsageKit.Client(server, caller).GetAsync(Contacts + "?limit=0")).StatusCode);
        Assert.Equal(200, (int)(await UsageKit.Client(server, caller).GetAsync(Contacts)).StatusCode);
        await UsageKit.FlushAsync(server.Services, app, tenant, 2);
        app.Clock.SetUtcNow(start.AddMinutes(5)); // the exports' own requests are logged after the window
        var window = $"from={UsageKit.Iso(start)}&to={UsageKit.Iso(start.AddMinutes(2))}";

        await (await app.Client(caller).GetAsync($"/api/v1/tenant/analytics/api-usage/errors/export?{window}")).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
        var errors = await app.Client(exporter).GetAsync($"/api/v1/tenant/analytics/api-usage/errors/export?{window}");
        Assert.Equal("text/csv", errors.Content.Headers.ContentType!.MediaType);
        var lines = (await errors.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("time,endpoint,status,code,message,key_id", lines[0]);
        Assert.Contains($",{List},400,VALIDATION_ERROR,", lines[1]);
        Assert.Contains(caller[..ApiKeyFormat.KeyIdLength], lines[1]);

        var series = (await (await app.Client(exporter).GetAsync($"/api/v1/tenant/analytics/api-usage/series/export?{window}&status=2xx"))
            .Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(["t,total,success,errors", $"{UsageKit.Iso(start)[..^1]}.000Z,1,1,0", $"{UsageKit.Iso(start.AddMinutes(1))[..^1]}.000Z,0,0,0"], series);
    }

    [Fact]
    public async Task Refusals_AreLoggedWithTheStatusAndCodeTheClientWasSent_WhereverTheyAreMade()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, keyId) = await app.CreateKeyAsync(tenant, [Permissions.ContactsRead, Permissions.ContactsWrite]);
        var client = app.Client(key);
        HttpContent Body(string text, string type) => new StringContent(text, System.Text.Encoding.UTF8, System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type));
        var requests = new (string Endpoint, Func<Task<HttpResponseMessage>> Send)[]
        {
            (List, () => client.GetAsync($"{Contacts}?limit=abc")), // a parameter the framework cannot bind: the exception handler
            ("POST /api/v1/contacts", () => client.PostAsync(Contacts, Body("{bad", "application/json"))), // the same, for a body
            ("POST /api/v1/contacts", () => client.PostAsync(Contacts, Body("{}", "application/json; charset=utf-7"))), // before authentication
            ("POST /api/v1/contacts", () => client.PostAsync(Contacts, Body($$"""{"email":"{{new string('a', 2_000_000)}}"}""", "application/json"))),
            ("POST (unmatched)", () => client.PostAsync(Contacts, Body("{}", "text/plain"))), // no endpoint takes it: the status-code pages
            ("GET (unmatched)", () => client.GetAsync("/api/v1/no-such-route")),
        };
        var sent = new List<(string Endpoint, int Status, string Code, string RequestId)>();
        foreach (var (endpoint, send) in requests)
        {
            var response = await send();
            var error = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            sent.Add((endpoint, (int)response.StatusCode, error["code"]!.GetValue<string>(), error["request_id"]!.GetValue<string>()));
        }

        Assert.Equal([400, 400, 415, 413, 415, 404], sent.Select(s => s.Status));
        await UsageKit.FlushAsync(app.Services, app, tenant, sent.Count);
        var rows = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiRequests.ToListAsync());
        Assert.Equal(sent.OrderBy(s => s.RequestId),
            rows.Select(r => (r.Endpoint, r.Status, r.ErrorCode!, r.RequestId)).OrderBy(r => r.RequestId));
        Assert.All(rows, r => Assert.Equal((keyId, true), (r.ApiKeyId, r.Authenticated)));

        // Every endpoint as recorded is a filter that finds its requests, "GET (unmatched)" included (once refused).
        var (reader, _) = await app.CreateKeyAsync(tenant, [Permissions.AnalyticsRead]);
        foreach (var endpoint in sent.Select(s => s.Endpoint).Distinct())
        {
            var found = await (await app.Client(reader).GetAsync($"/api/v1/tenant/analytics/api-requests?endpoint={Uri.EscapeDataString(endpoint)}")).DataAsync();
            Assert.Equal(sent.Where(s => s.Endpoint == endpoint).Select(s => s.RequestId).Order(),
                found.AsArray().Select(r => r!["request_id"]!.GetValue<string>()).Order());
        }
    }

    [Fact]
    public async Task RawRows_HoldWhatEachRequestWas_AsEfReadsThem()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, keyId) = await app.CreateKeyAsync(tenant, [Permissions.ContactsRead]);
        await using var server = UsageKit.WithLatency(app);
        var client = UsageKit.Client(server, key);
        client.DefaultRequestHeaders.UserAgent.ParseAdd("penguin-check/1.0");
        var sent = new List<(DateTime At, string RequestId, int Status, string Endpoint)>();
        foreach (var (path, status, endpoint) in new[] { (Contacts, 200, List), ($"{Contacts}/{Guid.NewGuid()}", 404, One), (Contacts, 200, List) })
        {
            app.Advance(TimeSpan.FromTicks(15_010)); // sub-millisecond times, to the microsecond PostgreSQL keeps
            var response = await client.GetAsync(path);
            Assert.Equal(status, (int)response.StatusCode);
            sent.Add((app.Clock.GetUtcNow().UtcDateTime, response.Headers.GetValues("X-Request-Id").Single(), status, endpoint));
        }

        await UsageKit.FlushAsync(server.Services, app, tenant, sent.Count);

        var rows = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiRequests.OrderBy(r => r.OccurredAt).ToListAsync());
        Assert.Equal(sent.Select(s => (s.At, s.RequestId, s.Status, s.Endpoint)), rows.Select(r => (r.OccurredAt, r.RequestId, r.Status, r.Endpoint)));
        Assert.All(rows, r =>
        {
            Assert.Equal((tenant, keyId, true, "live", "penguin-check/1.0"), (r.TenantId, r.ApiKeyId, r.Authenticated, r.Environment, r.UserAgent));
            Assert.Equal(7, r.Id.Version);
        });
        Assert.Equal(("RESOURCE_NOT_FOUND", true), (rows[1].ErrorCode, rows[1].ErrorMessage is { Length: > 0 }));
        Assert.All(new[] { rows[0], rows[2] }, r => Assert.Null(r.ErrorCode));

        // Stored times compare as EF's own: the rows after the first request's time are exactly the later two.
        var first = sent[0].At;
        var later = await app.InTenantAsync(tenant, sp => sp.GetRequiredService<AppDb>().ApiRequests.Where(r => r.OccurredAt > first).Select(r => r.RequestId).ToListAsync());
        Assert.Equal(sent.Skip(1).Select(s => s.RequestId).Order(), later.Order());
    }

    [Fact]
    public async Task Pruning_DeletesRawRowsAfter30Days_AndRollupsAfter400()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.ContactsRead]);
        await using var server = UsageKit.WithLatency(app);
        Assert.Equal(200, (int)(await UsageKit.Client(server, key).GetAsync(Contacts)).StatusCode);
        await UsageKit.FlushAsync(server.Services, app, tenant, 1);
        var pruner = server.Services.GetRequiredService<ApiUsagePruner>();
        int Raw() => app.InTenantAsync(tenant, sp => Task.FromResult(sp.GetRequiredService<PenguinMails.Data.AppDb>().ApiRequests.Count())).Result;
        int Rollups() => app.InTenantAsync(tenant, sp => Task.FromResult(sp.GetRequiredService<PenguinMails.Data.AppDb>().ApiUsageRollups.Count())).Result;

        app.Advance(TimeSpan.FromDays(29));
        await pruner.PruneAsync(default);
        Assert.Equal((1, 3), (Raw(), Rollups()));
        app.Advance(TimeSpan.FromDays(2));
        await pruner.PruneAsync(default);
        Assert.Equal((0, 3), (Raw(), Rollups()));
        app.Advance(TimeSpan.FromDays(370));
        await pruner.PruneAsync(default);
        Assert.Equal(0, Rollups());
    }

    private static decimal Rate(int part, int whole) => whole == 0 ? 0 : Math.Round((decimal)part / whole, 4);

    /// <summary>Nearest rank over the sent latencies, then the upper bound of its power-of-two bucket (at least 1 ms).</summary>
    private static double Percentile(IReadOnlyCollection<Sent> sent, double p)
    {
        var sorted = sent.Select(s => s.Ms).Order().ToList();
        var value = sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
        var bound = 1.0;
        while (bound < value)
        {
            bound *= 2;
        }

        return bound;
    }
}

public sealed class ApiUsageSqliteTests(SqliteFactory app) : ApiUsageTests(app), IClassFixture<SqliteFactory>;

public sealed class ApiUsagePostgresTests(PostgresFactory app) : ApiUsageTests(app), IClassFixture<PostgresFactory>;
