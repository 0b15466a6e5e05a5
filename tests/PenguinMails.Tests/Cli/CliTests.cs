using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Cli;

/// <summary>The exact command forms scripts and docs depend on, run as a person would run them.</summary>
public abstract class CliTests(IReadOnlyDictionary<string, string> storage) : IDisposable
{
    private readonly PenguinMailsExecutable _cli = new(storage);

    public virtual void Dispose()
    {
        _cli.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task TenantsCreate_PrintsTheSlugAlone_AndDeduplicates()
    {
        var first = await _cli.RunAsync("tenants", "create", "--name", "Acme Corp", "--plan", "professional");
        var second = await _cli.RunAsync("tenants", "create", "--name", "Acme Corp");

        Assert.Equal(0, first.Exit);
        Assert.Equal(["acme-corp"], Lines(first.Out));
        Assert.Equal(["acme-corp-2"], Lines(second.Out));
    }

    [Fact]
    public async Task TenantsSetPlan_AcceptsAPlan_RefusesAnUnknownOne()
    {
        await _cli.RunAsync("tenants", "create", "--name", "Acme");
        Assert.Equal(0, (await _cli.RunAsync("tenants", "set-plan", "--tenant", "acme", "--plan", "business")).Exit);

        var bad = await _cli.RunAsync("tenants", "set-plan", "--tenant", "acme", "--plan", "platinum");
        Assert.NotEqual(0, bad.Exit);
        Assert.Contains("platinum", bad.Err);
    }

    [Fact]
    public async Task TenantsSetAlerts_SetsAndShowsThresholds_DefaultGoesBack_RefusesUnknownOrOutOfRange()
    {
        await _cli.RunAsync("tenants", "create", "--name", "Acme");

        var set = await _cli.RunAsync("tenants", "set-alerts", "--tenant", "acme", "--set", "rate_limit_refusals=25", "--set", "rate_limit_window_minutes=30");
        var reset = await _cli.RunAsync("tenants", "set-alerts", "--tenant", "acme", "--set", "rate_limit_window_minutes=default");
        var unknown = await _cli.RunAsync("tenants", "set-alerts", "--tenant", "acme", "--set", "error_rate=5");
        var zero = await _cli.RunAsync("tenants", "set-alerts", "--tenant", "acme", "--set", "rate_limit_refusals=0");
        var shown = await _cli.RunAsync("tenants", "set-alerts", "--tenant", "acme");

        Assert.Equal(0, set.Exit);
        Assert.Empty(set.Out);
        Assert.Contains("acme: rate_limit_refusals = 25 (this tenant's)", set.Err);
        Assert.Contains("acme: rate_limit_window_minutes = 30 (this tenant's)", set.Err);
        Assert.Contains("acme: rate_limit_window_minutes = 15 (default)", reset.Err);
        Assert.NotEqual(0, unknown.Exit);
        Assert.Contains("unknown setting", unknown.Err);
        Assert.NotEqual(0, zero.Exit);
        Assert.Contains("from 1 to 1000000", zero.Err);
        Assert.Contains("acme: rate_limit_refusals = 25 (this tenant's)", shown.Err);
        Assert.Contains("acme: rate_limit_window_minutes = 15 (default)", shown.Err);
    }

    [Fact]
    public async Task TenantsSetDefaultFrom_RefusesAnInvalidAddress_AndSendsWithoutFromUseIt()
    {
        await _cli.RunAsync("tenants", "create", "--name", "Acme");
        var bad = await _cli.RunAsync("tenants", "set-default-from", "--tenant", "acme", "--from", "Acme <not-an-address>");
        Assert.NotEqual(0, bad.Exit);
        Assert.Contains("not a valid email address", bad.Err);
        Assert.Equal(0, (await _cli.RunAsync("tenants", "set-default-from", "--tenant", "acme", "--from", "Acme Team <hello@acme.test>")).Exit);
        Assert.Equal(0, (await _cli.RunAsync("domains", "add", "--tenant", "acme", "--name", "acme.test", "--verified")).Exit); // the sender rule
        var key = Assert.Single(Lines((await _cli.RunAsync("keys", "create", "--tenant", "acme", "--name", "ci", "--preset", "full_access")).Out));

        var (_, from) = await WithServerAsync(async port =>
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var sent = await (await client.PostAsJsonAsync("/api/v1/emails/send", new { to = "ann@example.com", subject = "Hi", text_body = "Hello" })).DataAsync();
            var email = await (await client.GetAsync($"/api/v1/emails/{sent["id"]!.GetValue<string>()}")).DataAsync();
            return email["from"]!.GetValue<string>();
        });

        var sender = MimeKit.MailboxAddress.Parse(from);
        Assert.Equal(("Acme Team", "hello@acme.test"), (sender.Name, sender.Address));
    }

    [Fact]
    public async Task UsersCreate_PrintsAGeneratedPasswordOnce()
    {
        await _cli.RunAsync("tenants", "create", "--name", "Acme");
        var created = await _cli.RunAsync("users", "create", "--tenant", "acme", "--email", "dev@acme.test", "--role", "developer");
        var again = await _cli.RunAsync("users", "create", "--tenant", "acme", "--email", "dev@acme.test", "--role", "developer");

        Assert.Equal(0, created.Exit);
        Assert.True(Assert.Single(Lines(created.Out)).Length >= 16);
        Assert.Equal(2, again.Exit);
        Assert.Empty(again.Out);
    }

    [Fact]
    public async Task KeysCreate_PrintsOnlyTheWholeKey()
    {
        await _cli.RunAsync("tenants", "create", "--name", "Acme");
        var live = await _cli.RunAsync("keys", "create", "--tenant", "acme", "--name", "ci", "--preset", "read_only");
        var test = await _cli.RunAsync("keys", "create", "--tenant", "acme", "--name", "staging", "--permission", "emails:send",
            "--environment", "test", "--expires-in-days", "30", "--allow-ip", "203.0.113.0/24", "--allow-ip", "2001:db8::/32");

        Assert.Equal(0, live.Exit);
        Assert.Matches("^pm_live_[0-9A-Za-z]{64}$", Assert.Single(Lines(live.Out)));
        Assert.Matches("^pm_test_[0-9A-Za-z]{64}$", Assert.Single(Lines(test.Out)));
    }

    [Fact]
    public async Task KeysCreate_UnknownPermission_FailsNamingIt_AndPrintsNoKey()
    {
        await _cli.RunAsync("tenants", "create", "--name", "Acme");
        var result = await _cli.RunAsync("keys", "create", "--tenant", "acme", "--name", "x", "--permission", "emails:teleport");

        Assert.Equal(2, result.Exit);
        Assert.Contains("emails:teleport", result.Err);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task UnknownTenant_Fails()
    {
        var result = await _cli.RunAsync("keys", "create", "--tenant", "nobody", "--name", "x", "--preset", "read_only");
        Assert.Equal(2, result.Exit);
        Assert.Contains("nobody", result.Err);
    }

    [Fact]
    public async Task UsersCreate_SameEmailInTwoTenants_IsOneAccountWithTwoMemberships()
    {
        await _cli.RunAsync("tenants", "create", "--name", "Acme");
        await _cli.RunAsync("tenants", "create", "--name", "Globex");
        var first = await _cli.RunAsync("users", "create", "--tenant", "acme", "--email", "dev@example.test", "--role", "admin");
        var second = await _cli.RunAsync("users", "create", "--tenant", "globex", "--email", "DEV@example.test", "--role", "developer");
        var password = Assert.Single(Lines(first.Out));

        var (_, (location, choice)) = await WithServerAsync(async port =>
        {
            using var browser = Portal.PortalClient.For(new Uri($"http://127.0.0.1:{port}"));
            var signedIn = await browser.SignInAsync("dev@example.test", password);
            return (signedIn.Headers.Location!.OriginalString, (await browser.GetAsync(signedIn.Headers.Location!.OriginalString)).Html);
        });

        Assert.Equal(0, second.Exit);
        Assert.Empty(second.Out); // no new password: the account exists
        Assert.Contains("existing account", second.Err);
        Assert.StartsWith("/account/choose-tenant", location);
        Assert.Contains("Acme", choice);
        Assert.Contains("Globex", choice);
    }

    [Fact]
    public async Task UsersResetPassword_PrintsOnlyTheNewPassword_AndUnlocksALockedOutAdmin()
    {
        await _cli.RunAsync("tenants", "create", "--name", "Acme");
        var password = Assert.Single(Lines((await _cli.RunAsync("users", "create", "--tenant", "acme", "--email", "boss@example.test", "--role", "admin")).Out));
        var auditor = Assert.Single(Lines((await _cli.RunAsync("keys", "create", "--tenant", "acme", "--name", "auditor", "--preset", "full_access")).Out));

        var (_, (locked, reset, after, log)) = await WithServerAsync(async port =>
        {
            using var browser = Portal.PortalClient.For(new Uri($"http://127.0.0.1:{port}"));
            for (var i = 0; i < 5; i++)
            {
                await browser.SignInAsync("boss@example.test", "wrong password " + i);
            }

            var locked = await (await browser.SignInAsync("boss@example.test", password)).Content.ReadAsStringAsync();
            var reset = await _cli.RunAsync("users", "reset-password", "--email", "boss@example.test");
            var after = await browser.SignInAsync("boss@example.test", Assert.Single(Lines(reset.Out)));
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", auditor);
            var log = await api.GetStringAsync("/api/v1/platform/audit-log?actor=cli&type=user.password_reset,user.created,tenant.created");
            return (locked, reset, after.Headers.Location?.OriginalString, log);
        });
        var unknown = await _cli.RunAsync("users", "reset-password", "--email", "nobody@example.test");

        Assert.Contains("This account is locked", locked);
        Assert.Equal(0, reset.Exit);
        Assert.Equal(20, Assert.Single(Lines(reset.Out)).Length);
        Assert.Equal("/dashboard/settings/developers", after);
        var entries = System.Text.Json.Nodes.JsonNode.Parse(log)!["data"]!.AsArray();
        Assert.Equal(["user.password_reset", "user.created", "tenant.created"], entries.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal("boss@example.test (and unlocked)", entries[0]!["detail"]!.GetValue<string>());
        Assert.DoesNotContain(Assert.Single(Lines(reset.Out)), log);
        Assert.Equal(2, unknown.Exit);
        Assert.Empty(unknown.Out);
    }

    [Fact]
    public async Task Migrate_Succeeds() => Assert.Equal(0, (await _cli.RunAsync("migrate")).Exit);

    [Fact]
    public async Task Serve_FirstStartPrintsAdminPasswordOnce_AndACliKeyWorksAgainstIt()
    {
        var (firstOut, key) = await WithServerAsync(async port =>
        {
            var created = await _cli.RunAsync("keys", "create", "--tenant", "default", "--name", "ci", "--preset", "read_only");
            var key = Assert.Single(Lines(created.Out));
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var me = await (await client.GetAsync("/v1/me")).DataAsync();
            Assert.Equal(["campaigns:read", "contacts:read", "analytics:read"], me["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
            return key;
        });
        var (secondOut, _) = await WithServerAsync(_ => Task.FromResult(""));

        Assert.Single(Lines(firstOut), l => l.StartsWith("password:", StringComparison.Ordinal));
        Assert.DoesNotContain("password:", secondOut);
        Assert.DoesNotContain(key, firstOut + secondOut);
    }

    [Fact]
    public async Task Serve_FirstStartBanner_SuggestsAKeyCommandThatWorksFromWhereItStarted()
    {
        var (output, _) = await WithServerAsync(_ => Task.FromResult(0));
        var line = Assert.Single(Lines(output), l => l.StartsWith("Create an API key:", StringComparison.Ordinal));
        var command = line["Create an API key:".Length..].Trim();

        var info = _cli.StartInfo([]);
        info.FileName = "/bin/sh";
        info.ArgumentList.Clear();
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"'{command}' exited {process.ExitCode}: {stderr}");
        Assert.Matches("^pm_live_[0-9A-Za-z]{64}$", Assert.Single(Lines(stdout)));
        Assert.Contains("PenguinMails <noreply@localhost>", output);
    }

    private async Task<(string Output, T Result)> WithServerAsync<T>(Func<int, Task<T>> work)
    {
        var port = LoopbackPorts.Free();
        var info = _cli.StartInfo(["serve"], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        using var server = Process.Start(info)!;
        var output = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        try
        {
            using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await PenguinMailsFactory.Eventually(async () =>
            {
                try
                {
                    return (await probe.GetAsync("/healthz")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "the server answers /healthz", 60_000);
            var result = await work(port);
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            return (await output, result);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }
}

public sealed class CliSqliteTests() : CliTests(new Dictionary<string, string>());

/// <summary>The same commands on PostgreSQL: a fresh database per test, dropped after it.</summary>
public sealed class CliPostgresTests : CliTests
{
    private readonly string _database;

    public CliPostgresTests()
        : this("pm_cli_" + Guid.NewGuid().ToString("N")[..16])
    {
    }

    private CliPostgresTests(string database)
        : base(Create(database)) => _database = database;

    public override void Dispose()
    {
        base.Dispose();
        Npgsql.NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }

    private static Dictionary<string, string> Create(string database)
    {
        Execute($"CREATE DATABASE \"{database}\"");
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(PostgresFactory.ServerConnectionString) { Database = database };
        return new()
        {
            ["PenguinMails__Database__Provider"] = "postgres",
            ["PenguinMails__Database__ConnectionString"] = connection.ConnectionString,
        };
    }

    private static void Execute(string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(PostgresFactory.ServerConnectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
