using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Npgsql;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.RateLimiting;

/// <summary>
/// One API node: the real executable (<c>dotnet penguinmails.dll serve</c>, built beside the tests) on a free
/// loopback port of real Kestrel, on the real clock, configured only by the environment given. Killed when disposed.
/// </summary>
public sealed class ServerNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerNode(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public Uri Address { get; }

    /// <summary>All the node printed so far.</summary>
    public string Output => string.Join('\n', _output);

    public static async Task<ServerNode> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var address = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        var info = StartInfo(["serve"], environment);
        info.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        var node = new ServerNode(new Process { StartInfo = info }, address);
        node._process.Start();
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        try
        {
            using var probe = node.Client();
            await PenguinMailsFactory.Eventually(async () =>
            {
                if (node._process.HasExited)
                {
                    throw new InvalidOperationException($"penguinmails serve exited with {node._process.ExitCode}:\n{node.Output}");
                }

                try
                {
                    return (await probe.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, $"the node at {address} answers /healthz", 60_000);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>Runs a CLI command with the same environment as the nodes; returns what it printed on stdout.</summary>
    public static async Task<string> RunCliAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(args, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"penguinmails {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        return (await stdout).Trim();
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Where /readyz says the node keeps rate limits: "redis", "local (redis unreachable)", ...</summary>
    public async Task<string> RateLimiterAsync()
    {
        using var client = Client();
        var data = await (await client.GetAsync("/readyz")).DataAsync();
        return data["checks"]!["rate_limiter"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "penguinmails.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Only the environment given configures the node: nothing of the test run's own leaks in.
        foreach (var name in info.Environment.Keys.Where(n => n.StartsWith("PenguinMails__", StringComparison.OrdinalIgnoreCase)
                     || n.EndsWith("_URLS", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__PenguinMails.RateLimiting"] = "Information";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}

/// <summary>A database of one test's own on the test PostgreSQL server, dropped when disposed.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string _name = "pm_test_" + Guid.NewGuid().ToString("N")[..16];

    public TestDatabase()
    {
        using var connection = new NpgsqlConnection(PostgresFactory.ServerConnectionString);
        try
        {
            connection.Open();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"Multi-node tests need a PostgreSQL server at '{PostgresFactory.ServerConnectionString}'. Run the README's " +
                "test command (./test.sh), which starts one, or set PENGUINMAILS_TEST_POSTGRES.", e);
        }

        using var create = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
        create.ExecuteNonQuery();
    }

    public string ConnectionString =>
        new NpgsqlConnectionStringBuilder(PostgresFactory.ServerConnectionString) { Database = _name }.ConnectionString;

    public void Dispose()
    {
        using var connection = new NpgsqlConnection(PostgresFactory.ServerConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}

/// <summary>A directory of one test's own, deleted when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("penguinmails-node-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
