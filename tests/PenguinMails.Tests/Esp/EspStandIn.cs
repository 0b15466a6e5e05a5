using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace PenguinMails.Tests.Esp;

/// <summary>
/// Postmark and Mailgun as their documentation describes them, on a real Kestrel on loopback (neither service is
/// reachable from here). It checks what they check — path, method, auth header, content type, required fields — and
/// answers as they do, their error bodies included. The recipient's local part picks a failure, as the SMTP stand-in's
/// does: <c>inactive-</c>, <c>invalid-</c>, <c>bad-</c>, <c>ratelimit-</c>, <c>down-</c>.
/// Postmark: https://postmarkapp.com/developer/user-guide/send-email-with-api/batch-emails (a JSON array of up to 500
/// messages of at most 50 recipients each; 200 with one result per message, in order, each with its ErrorCode) and
/// https://postmarkapp.com/developer/api/overview#error-codes (the call's own errors: 401 with ErrorCode 10 for a wrong
/// token, 422 with 402 invalid JSON, 403 incompatible JSON, 410 too many batch messages; 429 rate limited; 500; a
/// message's: 300 invalid request, 406 inactive recipient).
/// Mailgun: https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/messages/post-v3--domain-name--messages-mime
/// (basic auth api:KEY, multipart/form-data with to and message; 200 {"id","message":"Queued. Thank you."}; 400
/// {"message"}; 401 "Forbidden"; 404 domain not found; 429 with Retry-After; 5xx).
/// </summary>
public sealed class EspStandIn : IDisposable
{
    public const string PostmarkToken = "pm-server-token-0f3a-9c1e";
    public const string MailgunKey = "key-mailgun-api-7e21b9";
    public const string MailgunDomain = "mg.example.com";

    private readonly WebApplication _app;

    /// <summary>Every message Postmark accepted, one per entry of a batch.</summary>
    public ConcurrentQueue<PostmarkCall> Postmark { get; } = new();

    /// <summary>The number of messages in each batch call that got past the call's own checks.</summary>
    public ConcurrentQueue<int> BatchCalls { get; } = new();
    public ConcurrentQueue<MailgunCall> Mailgun { get; } = new();

    public sealed record PostmarkCall(IHeaderDictionary Headers, JsonObject Body, string MessageId);

    public sealed record MailgunCall(IHeaderDictionary Headers, List<string> To, Dictionary<string, string> Fields, byte[] Mime, string Id);

    /// <summary>Started at once, so that an xunit class fixture is ready before the server's first request.</summary>
    public EspStandIn()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/email/batch", (Delegate)PostmarkAsync);
        _app.MapPost("/v3/{domain}/messages.mime", (Delegate)MailgunAsync);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Settings that point the server's ESP transports here.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["PenguinMails:Esp:PostmarkBaseUrl"] = BaseUrl,
        ["PenguinMails:Esp:MailgunUsBaseUrl"] = BaseUrl,
        ["PenguinMails:Esp:MailgunEuBaseUrl"] = BaseUrl + "/eu-unused",
    };

    private async Task<IResult> PostmarkAsync(HttpContext http)
    {
        if (http.Request.Headers["X-Postmark-Server-Token"] != PostmarkToken)
        {
            return PostmarkError(401, 10, "No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either X-Postmark-Server-Token or X-Postmark-Account-Token.");
        }

        if (!http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal)
            || http.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return Results.StatusCode(415);
        }

        JsonArray batch;
        try
        {
            if (JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync()) is not JsonArray array)
            {
                return PostmarkError(422, 403, "Incompatible JSON input.");
            }

            batch = array;
        }
        catch (JsonException)
        {
            return PostmarkError(422, 402, "Received invalid JSON input.");
        }

        if (batch.Count > 500)
        {
            return PostmarkError(422, 410, "Too many batch messages. You may only send up to 500 messages in a batch call.");
        }

        var everyone = string.Join(",", batch.Select(m => Recipients(m!.AsObject())));
        if (everyone.Contains("ratelimit-", StringComparison.Ordinal))
        {
            http.Response.Headers.RetryAfter = "900";
            return PostmarkError(429, 429, "Rate limit exceeded.");
        }

        if (everyone.Contains("down-", StringComparison.Ordinal))
        {
            return Results.Text("Internal Server Error", statusCode: 500);
        }

        BatchCalls.Enqueue(batch.Count);
        return Results.Json(batch.Select(m => PostmarkMessage(http.Request.Headers, m!.AsObject())).ToList());
    }

    /// <summary>One message of a batch, judged alone as Postmark does: the batch answers 200 whatever each message's fate.</summary>
    private Dictionary<string, object> PostmarkMessage(IHeaderDictionary headers, JsonObject body)
    {
        var to = body["To"]?.GetValue<string>() ?? "";
        var all = Recipients(body);
        var addresses = all.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (body["From"] is null || addresses.Length == 0 || (body["HtmlBody"] is null && body["TextBody"] is null))
        {
            return Result(300, "Invalid email request");
        }

        if (addresses.Length > 50)
        {
            return Result(300, "Invalid 'To' address: Maximum of 50 recipients allowed per email message.");
        }

        if (all.Contains("inactive-", StringComparison.Ordinal))
        {
            return Result(406, "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: "
                + string.Join(", ", addresses.Where(a => a.Contains("inactive-", StringComparison.Ordinal)))
                + ". Inactive recipients are ones that have generated a hard bounce or a spam complaint.");
        }

        if (all.Contains("invalid-", StringComparison.Ordinal))
        {
            return Result(300, "Invalid 'To' address: '" + to + "'.");
        }

        var id = Guid.NewGuid().ToString();
        Postmark.Enqueue(new PostmarkCall(headers, body, id));
        return new Dictionary<string, object>
        {
            ["To"] = to, ["SubmittedAt"] = DateTimeOffset.UtcNow.ToString("O"), ["MessageID"] = id, ["ErrorCode"] = 0, ["Message"] = "OK",
        };

        static Dictionary<string, object> Result(int code, string message) => new() { ["ErrorCode"] = code, ["Message"] = message };
    }

    private static string Recipients(JsonObject body) =>
        string.Join(",", new[] { "To", "Cc", "Bcc" }.Select(f => body[f]?.GetValue<string>()).Where(v => !string.IsNullOrEmpty(v)));

    private static IResult PostmarkError(int status, int code, string message) =>
        Results.Json(new Dictionary<string, object> { ["ErrorCode"] = code, ["Message"] = message }, statusCode: status);

    private async Task<IResult> MailgunAsync(string domain, HttpContext http)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("api:" + MailgunKey));
        if (http.Request.Headers.Authorization != expected)
        {
            return Results.Text("Forbidden", statusCode: 401);
        }

        if (domain != MailgunDomain)
        {
            return Results.Json(new { message = $"Domain not found: {domain}" }, statusCode: 404);
        }

        if (!http.Request.HasFormContentType || http.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.Ordinal) != true)
        {
            return Results.Json(new { message = "Please use multipart/form-data to send a MIME message" }, statusCode: 400);
        }

        var form = await http.Request.ReadFormAsync();
        var to = form["to"].Select(v => v!).ToList();
        if (to.Count == 0)
        {
            return Results.Json(new { message = "to parameter is missing" }, statusCode: 400);
        }

        if (form.Files.GetFile("message") is not { } file)
        {
            return Results.Json(new { message = "message parameter is missing" }, statusCode: 400);
        }

        var all = string.Join(",", to);
        if (all.Contains("ratelimit-", StringComparison.Ordinal))
        {
            http.Response.Headers.RetryAfter = "900";
            return Results.Json(new { message = "Too many requests" }, statusCode: 429);
        }

        if (all.Contains("down-", StringComparison.Ordinal))
        {
            return Results.Json(new { message = "Service Unavailable" }, statusCode: 503);
        }

        if (all.Contains("bad-", StringComparison.Ordinal))
        {
            return Results.Json(new { message = "to parameter is not a valid address. please check documentation" }, statusCode: 400);
        }

        using var mime = new MemoryStream();
        await file.CopyToAsync(mime);
        var id = $"{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid():N}@{domain}";
        Mailgun.Enqueue(new MailgunCall(http.Request.Headers, to,
            form.Where(f => f.Key != "to").ToDictionary(f => f.Key, f => f.Value.ToString()), mime.ToArray(), id));
        return Results.Json(new { id = $"<{id}>", message = "Queued. Thank you." });
    }

    public static MimeMessage Parse(MailgunCall call) => MimeMessage.Load(new MemoryStream(call.Mime));

    public void Dispose() => _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
