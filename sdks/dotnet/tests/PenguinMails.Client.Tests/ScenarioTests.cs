using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace PenguinMails.Tests;

/// <summary>
/// The shared scenarios of sdks/scenarios.json, one test per id (named after it), against the real server and chaos
/// proxy of sdks/run-tests.sh.
/// </summary>
public sealed class ScenarioTests
{
    [Fact]
    public async Task send_email()
    {
        using var client = Harness.Client();

        var sent = await client.Emails.SendAsync(new SendEmailRequest
        {
            From = Harness.Sender,
            To = Harness.UniqueAddress("send"),
            Subject = "Hello",
            HtmlBody = "<h1>Hello World</h1>",
        });

        Assert.IsType<SendEmailResponse>(sent);
        Assert.StartsWith("msg_", sent.Id, StringComparison.Ordinal);
        Assert.Equal("queued", sent.Status);
    }

    [Fact]
    public async Task retry_after_dropped_connection_sends_once()
    {
        await ProxyControl.ResetAsync();
        await ProxyControl.DropNextAsync("POST", "/api/v1/emails/send");
        var recipient = Harness.UniqueAddress("drop");
        using var viaProxy = Harness.Client(Harness.ProxyUrl);

        var sent = await viaProxy.Emails.SendAsync(new SendEmailRequest
        {
            From = Harness.Sender, To = recipient, Subject = "Sent once", TextBody = "One message, two attempts.",
        });

        var posts = await ProxyControl.RequestsAsync("POST", "/api/v1/emails/send");
        Assert.Equal(2, posts.Count);
        Assert.Equal("dropped", posts[0].Action);
        Assert.Equal("forwarded", posts[1].Action);
        var key = posts[0].Headers["idempotency-key"];
        Assert.Equal(key, posts[1].Headers["idempotency-key"]);
        Assert.Equal(4, Guid.Parse(key).Version);

        using var direct = Harness.Client();
        var listed = await direct.Emails.ListAsync(new ListEmailsOptions { Recipient = recipient });
        var only = Assert.Single(listed.Data);
        Assert.Equal(sent.Id, only.Id);
    }

    [Fact]
    public async Task rate_limited_429_waits_retry_after()
    {
        var recorder = new AttemptRecorder();
        var services = new ServiceCollection();
        services.AddPenguinMailsClient(o =>
        {
            o.ApiKey = Harness.LimitedApiKey;
            o.BaseUrl = Harness.BaseUrl;
            o.MaxRetries = 3;
            o.MaxRetryDelay = TimeSpan.FromSeconds(60);
        }).AddHttpMessageHandler(() => recorder);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<PenguinMailsClient>();

        // The starter plan's burst is 100 with a refill of one a second: the SDK call right after the first 429
        // normally meets a 429 too; should a token have come back in between, exhaust again.
        for (var round = 0; round < 3 && !recorder.Attempts.Any(a => a.Status == 429); round++)
        {
            recorder.Attempts.Clear();
            await ExhaustBurstAsync();
            var watch = Stopwatch.StartNew();
            var me = await client.Account.GetAsync();
            watch.Stop();

            Assert.NotEmpty(me.KeyId);
            if (recorder.Attempts[0].Status == 429)
            {
                var retryAfter = recorder.Attempts[0].RetryAfter ?? throw new InvalidOperationException("The 429 had no Retry-After in seconds.");
                Assert.True(retryAfter > TimeSpan.Zero);
                Assert.True(watch.Elapsed >= retryAfter, $"waited {watch.Elapsed}, Retry-After was {retryAfter}");
                Assert.Equal(200, recorder.Attempts[^1].Status);
            }
        }

        Assert.Contains(recorder.Attempts, a => a.Status == 429);
    }

    [Fact]
    public async Task validation_error_is_typed()
    {
        await ProxyControl.ResetAsync();
        using var client = Harness.Client(Harness.ProxyUrl);

        var error = await Assert.ThrowsAsync<ValidationException>(() => client.Emails.SendAsync(new SendEmailRequest
        {
            From = Harness.Sender, Subject = "No recipient", HtmlBody = "<p>Nobody</p>",
        }));

        Assert.IsAssignableFrom<PenguinMailsException>(error);
        Assert.Equal("VALIDATION_ERROR", error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Contains(error.Details, d => d.Field == "to");
        Assert.StartsWith("req_", error.RequestId, StringComparison.Ordinal);
        Assert.Contains(error.StatusCode, new int?[] { 400, 422 });
        Assert.Single(await ProxyControl.RequestsAsync("POST", "/api/v1/emails/send"));
    }

    [Fact]
    public async Task auto_paging_250_contacts()
    {
        var tag = $"paging-{Guid.NewGuid():N}"[..24];
        using var direct = Harness.Client();
        var report = await direct.Contacts.BulkImportAsync(
            [.. Enumerable.Range(0, 250).Select(i => new UpsertContactRequest { Email = $"{tag}-{i}@example.com", Tags = [tag] })]);
        Assert.Equal(250, report.Created);
        await ProxyControl.ResetAsync();
        using var viaProxy = Harness.Client(Harness.ProxyUrl);

        var contacts = new List<ContactResponse>();
        await foreach (var contact in viaProxy.Contacts.ListAllAsync(new ListContactsOptions { Tag = tag, Limit = 100 }))
        {
            contacts.Add(contact);
        }

        Assert.Equal(250, contacts.Count);
        Assert.Equal(250, contacts.Select(c => c.Id).Distinct().Count());
        Assert.All(contacts, c => Assert.Contains(tag, c.Tags));
        Assert.Equal(3, (await ProxyControl.RequestsAsync("GET", "/api/v1/contacts")).Count);
    }

    [Fact]
    public void verify_webhook_signature()
    {
        using var vector = JsonDocument.Parse(File.ReadAllText(Harness.WebhookVector));
        var v = vector.RootElement;
        var payload = v.GetProperty("payload").GetString()!;
        var secret = v.GetProperty("secret").GetString()!;
        var headers = v.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

        var verified = WebhookVerifier.Verify(payload, headers, secret);

        Assert.Equal(v.GetProperty("id").GetString(), verified.Id);
        Assert.False(string.IsNullOrEmpty(verified.Type));
        Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(payload + " ", headers, secret));
        var otherSecret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(payload, headers, otherSecret));
        var stale = v.GetProperty("stale");
        var staleHeaders = new Dictionary<string, string>(headers)
        {
            ["webhook-timestamp"] = stale.GetProperty("timestamp").GetString()!,
            ["webhook-signature"] = stale.GetProperty("signature").GetString()!,
        };
        var tooOld = Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(payload, staleHeaders, secret));
        Assert.Contains("tolerance", tooOld.Message, StringComparison.Ordinal);
    }

    /// <summary>Plain HTTP GET /me with the limited key until the server answers 429.</summary>
    private static async Task ExhaustBurstAsync()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Harness.LimitedApiKey);
        for (var i = 0; i < 500; i++)
        {
            using var response = await http.GetAsync(new Uri(Harness.BaseUrl.TrimEnd('/') + "/api/v1/me"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return;
            }
        }

        throw new InvalidOperationException("500 requests with the limited key were never refused with 429.");
    }
}
