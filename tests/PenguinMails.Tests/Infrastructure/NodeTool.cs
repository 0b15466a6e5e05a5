using System.Diagnostics;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>
/// A script of one of the repository's npm tools (<c>tools/&lt;name&gt;</c>, each pinned by its own package-lock and
/// installed there by ./test.sh with <c>npm ci</c>), run with Node: the input goes to its standard input, its standard
/// output comes back. Used to check our output against code we did not write (handlebars.js, the Standard Webhooks
/// reference library).
/// </summary>
public static class NodeTool
{
    /// <summary>
    /// Runs <c>tools/<paramref name="tool"/>/<paramref name="script"/></c> with <paramref name="input"/> on its standard
    /// input and returns its standard output. Fails the test when the tool's <paramref name="package"/> is not installed,
    /// or when Node exits other than 0 (its standard error is the message); gives up after a minute.
    /// </summary>
    public static async Task<string> RunAsync(string tool, string package, string script, string input)
    {
        var directory = Find(tool, package);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(directory, script) },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await errors);
        return await output;
    }

    private static string Find(string tool, string package)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", tool);
            if (Directory.Exists(Path.Combine(candidate, "node_modules", package)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{package} is not installed in tools/{tool}. Run ./test.sh, or npm ci --prefix tools/{tool}.");
    }
}
