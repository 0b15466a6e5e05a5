using System.Diagnostics;
using StackExchange.Redis;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.RateLimiting;

/// <summary>
/// The redis-server the README's test command starts (PENGUINMAILS_TEST_REDIS, default 127.0.0.1:6379).
/// Without it the Redis tests fail with this message: they are never skipped.
/// </summary>
public static class TestRedis
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("PENGUINMAILS_TEST_REDIS") is { Length: > 0 } value ? value : "127.0.0.1:6379";

    /// <summary>A connection for the test itself, to look at the keys the server wrote (or, as admin, to pause Redis).</summary>
    public static ConnectionMultiplexer Connect(string? connectionString = null, bool admin = false)
    {
        var target = connectionString ?? ConnectionString;
        try
        {
            return ConnectionMultiplexer.Connect($"{target},abortConnect=true,connectTimeout=3000,allowAdmin={(admin ? "true" : "false")}");
        }
        catch (RedisConnectionException e)
        {
            throw new InvalidOperationException(
                $"Redis tests need a redis-server at '{target}'. Run the README's test command (./test.sh), " +
                "which installs and starts one, or set PENGUINMAILS_TEST_REDIS.", e);
        }
    }
}

/// <summary>
/// A redis-server of one test's own, on a free loopback port, that the test may stop and start again
/// (on the same port) without disturbing the shared one.
/// </summary>
public sealed class DedicatedRedis : IDisposable
{
    private Process? _process;

    private DedicatedRedis(int port) => Port = port;

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<DedicatedRedis> StartAsync()
    {
        var redis = new DedicatedRedis(LoopbackPorts.Free());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts redis-server (empty: nothing is saved) on this port and returns once it answers.</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--port", $"{Port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            _process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                "This test starts its own redis-server, which is not installed. Run the README's test command (./test.sh), " +
                "which installs it (apt-get install redis-server).", e);
        }

        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            try
            {
                using var answering = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},abortConnect=true,connectTimeout=500");
                return;
            }
            catch (RedisConnectionException) when (Environment.TickCount64 < deadline && _process is { HasExited: false })
            {
                await Task.Delay(50);
            }
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}
