using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Bounces;
using PenguinMails.Tests.Emails;
using PenguinMails.Tests.Infrastructure;
using PenguinMails.Tests.Webhooks;

namespace PenguinMails.Tests.Bounces;

/// <summary>One message sent through the relay: its id, its recipient, and the return path the relay saw in MAIL FROM.</summary>
public sealed record SentMessage(string Id, string To, string ReturnPath);

/// <summary>Settings, sending, fixtures and looks at the rows for the bounce tests.</summary>
public static partial class BounceKit
{
    public const string BounceDomain = "bounces.example.net";
    public const string InboundToken = "inbound-token-7f3a9c2e51d84b06";

    public static void UseBounceRig(this PenguinMailsFactory app, BounceRig rig, string protocol = "imap")
    {
        foreach (var (name, value) in rig.Relay.Settings().Concat(rig.Dovecot.Settings(protocol)))
        {
            app.Settings[name] = value;
        }

        app.Settings["PenguinMails:Bounces:Domain"] = BounceDomain;
        app.Settings["PenguinMails:Bounces:InboundToken"] = InboundToken;
        // The job reads when the tests ask it to; the fake clock never reaches a day.
        app.Settings["PenguinMails:Bounces:Mailbox:IntervalSeconds"] = "86400";
        app.AllowLoopback();
    }

    public static BounceMailboxJob Job(this PenguinMailsFactory app) => app.Services.GetRequiredService<BounceMailboxJob>();

    /// <summary>Sends one email to a fresh address with <paramref name="local"/> and waits until the relay took it.</summary>
    public static async Task<SentMessage> SendThroughRelayAsync(this PenguinMailsFactory app, HttpClient client, SmtpServer relay, string local)
    {
        var to = $"{local}-{Guid.NewGuid():N}@example.com";
        var id = await client.SendAsync(new { from = "news@example.com", to, subject = "Hello", text_body = "Hi" });
        await app.WaitForStatusAsync(client, id, "sent");
        var returnPath = Assert.Single(relay.MessagesTo(to)).Headers["X-Test-Mail-From"]!.Trim();
        Assert.Matches(Verp(), returnPath);
        return new SentMessage(id, to, returnPath);
    }

    /// <summary>A fixture of Bounces/Fixtures with the message's return path, recipient and ids filled in.</summary>
    public static string Fixture(string name, SentMessage sent, string reportId) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Bounces", "Fixtures", name + ".eml"))
            .Replace("{{RETURN_PATH}}", sent.ReturnPath).Replace("{{RECIPIENT}}", sent.To)
            .Replace("{{ORIGINAL_MESSAGE_ID}}", sent.Id[4..] + "@example.com").Replace("{{REPORT_ID}}", reportId);

    public static async Task<JsonNode> ContactAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/v1/contacts/{id}")).DataAsync();

    public static async Task<string?> SuppressionReasonAsync(this HttpClient client, string email)
    {
        var response = await client.GetAsync($"/api/v1/suppressions/{email}");
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : (await response.DataAsync())["reason"]!.GetValue<string>();
    }

    /// <summary>The webhook events staged for the tenant, by type.</summary>
    public static Task<List<string>> WebhookTypesAsync(this PenguinMailsFactory app, Guid tenant) =>
        app.RowsAsync(db => db.WebhookEvents.IgnoreQueryFilters().Where(e => e.TenantId == tenant).Select(e => e.Type).ToListAsync());

    public static List<JsonNode> Events(this JsonNode email, string type) =>
        email["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == type).Select(e => e!).ToList();

    public static HttpRequestMessage StatsRequest(string token = InboundToken) =>
        new(HttpMethod.Get, "/inbound/bounces/stats") { Headers = { Authorization = new("Bearer", token) } };

    public static HttpRequestMessage ReportRequest(string body, string? token = InboundToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/inbound/bounces") { Content = new StringContent(body.ReplaceLineEndings("\r\n")) };
        request.Content.Headers.ContentType = new("message/rfc822");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return request;
    }

    [GeneratedRegex(@"^bounces\+[a-z2-7]{48}@bounces\.example\.net$")]
    public static partial Regex Verp();
}

public static class BounceRequests
{
    public static Task<System.Text.Json.Nodes.JsonNode> EmailAsyncFor(this HttpClient client, SentMessage sent) =>
        PenguinMails.Tests.Emails.EmailTestKit.EmailAsync(client, sent.Id);
}
