// The baseline of bench/webhooks.sh (issue 12: "a plain HttpClient loop posting the same bodies"): HttpClient alone
// posting the bodies and webhook headers the server delivered — one JSON line each, as bench/webhook-receiver.py
// recorded them — to the same receiver, CONCURRENCY in flight over kept-alive connections. No database, no signing,
// no claims: what delivery would cost without the dispatcher around it. The first WARMUP requests (default 0) are
// posted untimed, as the server's first deliveries are left out of its figure; prints "<timed requests> <requests per
// second>" for the rest.
// Usage: dotnet webhook-loop.dll RECEIVED.jsonl URL CONCURRENCY [WARMUP]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var requests = File.ReadLines(args[0]).Select(line => JsonDocument.Parse(line).RootElement).Select(r => (
    Body: Encoding.UTF8.GetBytes(r.GetProperty("body").GetString()!), Id: r.GetProperty("id").GetString()!,
    Timestamp: r.GetProperty("timestamp").GetString()!, Signature: r.GetProperty("signature").GetString()!)).ToList();
var url = new Uri(args[1]);
var concurrency = int.Parse(args[2], CultureInfo.InvariantCulture);
var warmup = args.Length > 3 ? Math.Min(int.Parse(args[3], CultureInfo.InvariantCulture), requests.Count) : 0;
using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
await PostAsync(0, warmup);
var clock = Stopwatch.StartNew();
await PostAsync(warmup, requests.Count);
var timed = requests.Count - warmup;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{timed} {timed / clock.Elapsed.TotalSeconds:0.0}"));

// Posts requests[from..to], CONCURRENCY in flight.
Task PostAsync(int from, int to)
{
    var next = from - 1;
    return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < to)
        {
            var r = requests[i];
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(r.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add("webhook-id", r.Id);
            request.Headers.Add("webhook-timestamp", r.Timestamp);
            request.Headers.Add("webhook-signature", r.Signature);
            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode != 200)
            {
                throw new InvalidOperationException($"status {(int)response.StatusCode}");
            }

            await response.Content.ReadAsByteArrayAsync();
        }
    }));
}
