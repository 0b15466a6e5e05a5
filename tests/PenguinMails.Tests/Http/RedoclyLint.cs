using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PenguinMails.Tests.Http;

/// <summary>
/// Runs Redocly CLI (pinned in tools/openapi-lint, installed there by ./test.sh with <c>npm ci</c>) with its
/// recommended rules over a document, the way an SDK generator's users would check it.
/// </summary>
internal static partial class RedoclyLint
{
    public static string ToolDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tools", "openapi-lint");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException($"tools/openapi-lint not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The exit code, the whole output and its error lines.</summary>
    public static async Task<(int ExitCode, string Output, IReadOnlyList<string> Errors)> RunAsync(string documentPath)
    {
        var tool = ToolDirectory;
        var cli = Path.Combine(tool, "node_modules", "@redocly", "cli", "bin", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException(
                $"Redocly CLI is not installed at {cli}. Run the README's test command (./test.sh), which runs 'npm ci' in tools/openapi-lint.");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = tool,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { cli, "lint", "--format=stylish", "--config", Path.Combine(tool, "redocly.yaml"), documentPath },
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        var errors = output.Split('\n').Where(l => ErrorLine().IsMatch(l)).ToList();
        return (process.ExitCode, output, errors);
    }

    /// <summary>A problem line of the stylish format: <c>  12:3  error  rule-name  message</c>.</summary>
    [GeneratedRegex(@"^\s*\d+:\d+\s+error\s")]
    private static partial Regex ErrorLine();
}
