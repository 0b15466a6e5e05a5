// The baseline of bench/webhooks.sh (issue 12: "a plain HttpClient loop posting the same bodies"): HttpClient alone
// posting the bodies and webhook headers the server delivered — one JSON line each, as bench/webhook-receiver.py
// recorded them — to the same receiver, CONCURRENCY in flight over kept-alive connections. No database, no signing,
// no claims: what delivery would cost without the dispatcher around it. Prints "<requests> <requests per second>".
// Usage: dotnet webhook-loop.dll RECEIVED.jsonl URL CONCURRENCY
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
using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
var next = -1;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < requests.Count)
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
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{requests.Count} {requests.Count / clock.Elapsed.TotalSeconds:0.0}"));
