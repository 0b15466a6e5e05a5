using System.Diagnostics;

namespace PenguinMails.Tests.Cli;

/// <summary>Runs the real penguinmails executable (the server's build output, copied beside the tests).</summary>
public sealed class CliProcess(IReadOnlyDictionary<string, string> storage) : IDisposable
{
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("penguinmails-cli-").FullName;

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "penguinmails.dll");

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Start(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    public ProcessStartInfo Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PenguinMails__DataDirectory"] = DataDirectory;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in storage)
        {
            info.Environment[name] = value;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

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
