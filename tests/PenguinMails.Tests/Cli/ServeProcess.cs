using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Cli;

/// <summary><c>penguinmails serve</c> on a free loopback port of real Kestrel; killed when disposed.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Keep(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(_stderr, e.Data);
    }

    public Uri BaseAddress { get; }

    /// <summary>What the server printed on stdout so far (the first start's banner is there once it answers).</summary>
    public string OutputSoFar => string.Join('\n', _stdout);

    /// <summary>Starts the server and returns once /healthz answers 200 (at most 30 s).</summary>
    /// <param name="executable">The executable and its data directory.</param>
    /// <param name="environment">Extra settings as environment variables (PenguinMails__...).</param>
    /// <param name="address">Where to listen (a restart keeps its predecessor's); a free loopback port when null.</param>
    public static async Task<ServeProcess> StartAsync(PenguinMailsExecutable executable, IReadOnlyDictionary<string, string>? environment = null,
        Uri? address = null)
    {
        address ??= new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        var settings = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
        };
        var server = new ServeProcess(new Process { StartInfo = executable.StartInfo(["serve"], settings) }, address);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Kills the server and returns all it printed on stdout, read to its end.</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return string.Join('\n', _stdout);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var probe = Client();
        probe.Timeout = TimeSpan.FromSeconds(2);
        var deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"penguinmails serve exited with {_process.ExitCode}:\n{string.Join('\n', _stdout)}\n{string.Join('\n', _stderr)}");
            }

            try
            {
                // Only this process's answer counts: a port found free can be taken by another test's server before
                // this one binds it (this one then exits), and /healthz would answer from that server instead.
                if ((await probe.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK && ListensHere())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"penguinmails serve did not answer /healthz at {BaseAddress} within 30 s.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kestrel's start-up line for this address is on this process's stdout (Microsoft.Hosting.Lifetime).</summary>
    private bool ListensHere() =>
        _stdout.Any(line => line.Contains("Now listening on: " + BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal));

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
