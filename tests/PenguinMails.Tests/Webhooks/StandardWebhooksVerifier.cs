using System.Diagnostics;
using System.Text.Json;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// Code we did not write: the Standard Webhooks reference library (npm <c>standardwebhooks</c>, pinned in
/// tools/webhook-verify, installed there by ./test.sh with <c>npm ci</c>), run with Node over received deliveries.
/// Returns, per delivery, "ok" or the library's refusal.
/// </summary>
public static class StandardWebhooksVerifier
{
    public static async Task<List<string>> VerifyAsync(string secret, IEnumerable<ReceivedWebhook> deliveries)
    {
        var tool = ToolDirectory();
        if (!Directory.Exists(Path.Combine(tool, "node_modules", "standardwebhooks")))
        {
            throw new InvalidOperationException($"standardwebhooks is not installed in {tool}. Run ./test.sh, or npm ci --prefix tools/webhook-verify.");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = tool,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Path.Combine(tool, "verify.mjs") },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var input = JsonSerializer.Serialize(new
        {
            secret,
            deliveries = deliveries.Select(d => new { id = d.Id, timestamp = d.Timestamp, signature = d.Signature, body = d.Body }),
        });
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await errors);
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private static string ToolDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "webhook-verify");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tools/webhook-verify not found above {AppContext.BaseDirectory}.");
    }
}
