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
/// Postmark: https://postmarkapp.com/developer/api/email-api#send-a-single-email and
/// https://postmarkapp.com/developer/api/overview#error-codes (401 with ErrorCode 10 for a wrong token; 422 with
/// ErrorCode 300 invalid request, 406 inactive recipient; 429 rate limited; 500).
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

    public ConcurrentQueue<PostmarkCall> Postmark { get; } = new();
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
        _app.MapPost("/email", (Delegate)PostmarkAsync);
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

        JsonObject body;
        try
        {
            body = JsonNode.Parse(await new StreamReader(http.Request.Body).ReadToEndAsync())!.AsObject();
        }
        catch (JsonException)
        {
            return PostmarkError(422, 402, "Received invalid JSON input.");
        }

        var to = body["To"]?.GetValue<string>() ?? "";
        if (body["From"] is null || (to == "" && body["Cc"] is null && body["Bcc"] is null) || (body["HtmlBody"] is null && body["TextBody"] is null))
        {
            return PostmarkError(422, 300, "Invalid email request");
        }

        var all = string.Join(",", new[] { "To", "Cc", "Bcc" }.Select(f => body[f]?.GetValue<string>() ?? ""));
        if (all.Contains("ratelimit-", StringComparison.Ordinal))
        {
            http.Response.Headers.RetryAfter = "900";
            return PostmarkError(429, 429, "Rate limit exceeded.");
        }

        if (all.Contains("down-", StringComparison.Ordinal))
        {
            return Results.Text("Internal Server Error", statusCode: 500);
        }

        if (all.Contains("inactive-", StringComparison.Ordinal))
        {
            var inactive = all.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(a => a.Contains("inactive-", StringComparison.Ordinal));
            return PostmarkError(422, 406, "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: "
                + string.Join(", ", inactive) + ". Inactive recipients are ones that have generated a hard bounce or a spam complaint.");
        }

        if (all.Contains("invalid-", StringComparison.Ordinal))
        {
            return PostmarkError(422, 300, "Invalid 'To' address: '" + to + "'.");
        }

        var id = Guid.NewGuid().ToString();
        Postmark.Enqueue(new PostmarkCall(http.Request.Headers, body, id));
        return Results.Json(new Dictionary<string, object>
        {
            ["To"] = to, ["SubmittedAt"] = DateTimeOffset.UtcNow.ToString("O"), ["MessageID"] = id, ["ErrorCode"] = 0, ["Message"] = "OK",
        });
    }

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
