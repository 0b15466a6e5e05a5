using System.Diagnostics;

namespace PenguinMails.Tests.Cli;

/// <summary>
/// The built <c>penguinmails</c> executable (copied beside the tests) on a fresh data directory of its own:
/// SQLite and a generated key-hash secret, whatever the environment of the test run says, unless
/// <paramref name="configuration"/> (environment variables given to every run) says otherwise.
/// </summary>
public sealed class PenguinMailsExecutable(IReadOnlyDictionary<string, string>? configuration = null) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("penguinmails-exe-").FullName;

    public sealed record Result(int Exit, string Out, string Err)
    {
        public IReadOnlyList<string> OutLines =>
            Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
    }

    public async Task<Result> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"penguinmails {string.Join(' ', args)} did not exit within {CommandTimeout}.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "penguinmails.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Nothing of the test run's own configuration may leak in: no hash secret, no database, no URLs.
        var inherited = info.Environment.Keys.Where(name =>
            name.StartsWith("PenguinMails__", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("_URLS", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var name in inherited)
        {
            info.Environment.Remove(name);
        }

        info.Environment["PenguinMails__DataDirectory"] = DataDirectory;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in (configuration ?? new Dictionary<string, string>()).Concat(environment ?? new Dictionary<string, string>()))
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    public void Dispose()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
