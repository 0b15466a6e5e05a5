using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PenguinMails.Tests.Webhooks;

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// What the receiver answers at a path: a status, headers, a body, after a delay (real time) and, when
/// <paramref name="Until"/> is given, not before it completes (the test decides when the answer goes).
/// </summary>
public sealed record Answer(int Status, Dictionary<string, string>? Headers = null, string Body = "ok", TimeSpan? Delay = null, Task? Until = null);

/// <summary>
/// A real HTTP server on loopback (Kestrel, a free port) that records every request and answers what the test
/// programmed for its path (default 200), the way a tenant's endpoint would.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<int, Answer>> _answers = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, int> _answered = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public IReadOnlyList<ReceivedWebhook> At(string path) => _received.Where(r => r.Path == path).ToList();

    public string Url(string path) => BaseUrl + path;

    /// <summary>How many answers at <paramref name="path"/> were sent whole (the sender has them, or soon will).</summary>
    public int Answered(string path) => _answered.GetValueOrDefault(path);

    /// <summary>The answer to the n-th request (1-based) at <paramref name="path"/>.</summary>
    public void Program(string path, Func<int, Answer> answer) => _answers[path] = answer;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var path = context.Request.Path.Value ?? "/";
        var n = _counts.AddOrUpdate(path, 1, (_, count) => count + 1); // atomic: concurrent deliveries each get their own n
        _received.Enqueue(new ReceivedWebhook(path, headers.GetValueOrDefault("webhook-id", ""), headers.GetValueOrDefault("webhook-timestamp", ""),
            headers.GetValueOrDefault("webhook-signature", ""), body, headers));
        var answer = _answers.TryGetValue(path, out var program) ? program(n) : new Answer(200);
        if (answer.Delay is { } delay)
        {
            await Task.Delay(delay);
        }

        if (answer.Until is { } until)
        {
            await until;
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? [])
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(answer.Body);
        await context.Response.CompleteAsync();
        _answered.AddOrUpdate(path, 1, (_, count) => count + 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
