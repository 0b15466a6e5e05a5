using System.Text.Json;
using PenguinMails.Tests.Infrastructure;

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
        var input = JsonSerializer.Serialize(new
        {
            secret,
            deliveries = deliveries.Select(d => new { id = d.Id, timestamp = d.Timestamp, signature = d.Signature, body = d.Body }),
        });
        var output = await NodeTool.RunAsync("webhook-verify", "standardwebhooks", "verify.mjs", input);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
