namespace PenguinMails.Tests;

/// <summary>
/// Operations whose answer carries a secret are not retried once the request may have reached the server (the server
/// keeps no copy to replay); only refusals are (429, 503 with Retry-After, connect refused). Through the chaos proxy.
/// </summary>
public sealed class SecretRetryTests
{
    private const string Keys = "/api/v1/platform/api-keys";

    [Theory]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Create_api_key_is_not_retried_after_a_gateway_error(int status)
    {
        await ProxyControl.ResetAsync();
        await ProxyControl.FailNextAsync("POST", Keys, status);
        using var client = Harness.Client(Harness.ProxyUrl);

        var error = await Assert.ThrowsAsync<ServerException>(() => client.ApiKeys.CreateAsync(new CreateApiKeyRequest { Name = "not retried", Preset = "read_only" }));

        Assert.Equal(status, error.StatusCode);
        Assert.Single(await ProxyControl.RequestsAsync("POST", Keys));
    }

    [Fact]
    public async Task Create_api_key_is_not_retried_after_a_dropped_connection()
    {
        await ProxyControl.ResetAsync();
        await ProxyControl.DropNextAsync("POST", Keys);
        using var client = Harness.Client(Harness.ProxyUrl);

        var error = await Assert.ThrowsAsync<ConnectionException>(() => client.ApiKeys.CreateAsync(new CreateApiKeyRequest { Name = "dropped", Preset = "read_only" }));

        Assert.Equal("CONNECTION_ERROR", error.Code);
        Assert.Null(error.StatusCode);
        Assert.DoesNotContain(Harness.ApiKey, error.ToString(), StringComparison.Ordinal);
        var seen = Assert.Single(await ProxyControl.RequestsAsync("POST", Keys));
        Assert.Equal("dropped", seen.Action);
    }

    [Fact]
    public async Task Create_api_key_is_retried_after_a_503_with_retry_after()
    {
        await ProxyControl.ResetAsync();
        await ProxyControl.FailNextAsync("POST", Keys, 503, new() { ["Retry-After"] = "1" });
        using var client = Harness.Client(Harness.ProxyUrl);

        var created = await client.ApiKeys.CreateAsync(new CreateApiKeyRequest { Name = "retried after 503", Preset = "read_only" });

        Assert.StartsWith("pm_", created.Key, StringComparison.Ordinal);
        var seen = await ProxyControl.RequestsAsync("POST", Keys);
        Assert.Equal(["failed", "forwarded"], seen.Select(s => s.Action));
        await client.ApiKeys.RevokeAsync(created.ApiKey.Id);
    }

    [Fact]
    public async Task Rotate_webhook_secret_is_not_retried_after_a_gateway_error()
    {
        // The proxy answers for the server (fail-next is never forwarded), so no endpoint is needed.
        var id = Guid.NewGuid().ToString();
        await ProxyControl.ResetAsync();
        var path = $"/api/v1/webhooks/{id}/rotate-secret";
        await ProxyControl.FailNextAsync("POST", path, 502);
        using var client = Harness.Client(Harness.ProxyUrl);

        await Assert.ThrowsAsync<ServerException>(() => client.Webhooks.RotateSecretAsync(id));

        Assert.Single(await ProxyControl.RequestsAsync("POST", path));
    }

    [Fact]
    public async Task A_send_is_retried_after_a_gateway_error_with_the_same_idempotency_key()
    {
        await ProxyControl.ResetAsync();
        await ProxyControl.FailNextAsync("POST", "/api/v1/emails/send", 502);
        using var client = Harness.Client(Harness.ProxyUrl);

        var sent = await client.Emails.SendAsync(new SendEmailRequest { From = Harness.Sender, To = Harness.UniqueAddress("gw"), Subject = "Retried", TextBody = "Once." });

        Assert.Equal("queued", sent.Status);
        var seen = await ProxyControl.RequestsAsync("POST", "/api/v1/emails/send");
        Assert.Equal(2, seen.Count);
        Assert.Equal(seen[0].Headers["idempotency-key"], seen[1].Headers["idempotency-key"]);
    }

    [Fact]
    public async Task A_retry_that_finds_the_first_attempt_still_in_flight_waits_and_retries_again()
    {
        await ProxyControl.ResetAsync();
        await ProxyControl.FailNextAsync("POST", "/api/v1/emails/send", 502);
        await ProxyControl.FailNextAsync("POST", "/api/v1/emails/send", 409, body:
            """{"success":false,"error":{"code":"IDEMPOTENCY_KEY_IN_FLIGHT","message":"A request with this key is still running.","details":[],"request_id":"req_proxy","documentation_url":"/docs/errors"}}""");
        using var client = Harness.Client(Harness.ProxyUrl);

        var sent = await client.Emails.SendAsync(new SendEmailRequest { From = Harness.Sender, To = Harness.UniqueAddress("inflight"), Subject = "Waited", TextBody = "Once." });

        Assert.Equal("queued", sent.Status);
        var seen = await ProxyControl.RequestsAsync("POST", "/api/v1/emails/send");
        Assert.Equal(["failed", "failed", "forwarded"], seen.Select(s => s.Action));
        Assert.Single(seen.Select(s => s.Headers["idempotency-key"]).Distinct());
    }

    [Fact]
    public async Task A_conflict_on_the_first_attempt_is_not_retried()
    {
        await ProxyControl.ResetAsync();
        await ProxyControl.FailNextAsync("POST", "/api/v1/emails/send", 409, body:
            """{"success":false,"error":{"code":"IDEMPOTENCY_KEY_IN_FLIGHT","message":"A request with this key is still running.","details":[],"request_id":"req_proxy","documentation_url":"/docs/errors"}}""");
        using var client = Harness.Client(Harness.ProxyUrl);

        var error = await Assert.ThrowsAsync<ConflictException>(() => client.Emails.SendAsync(new SendEmailRequest { From = Harness.Sender, To = Harness.UniqueAddress("conflict"), Subject = "No", TextBody = "No." }));

        Assert.Equal("IDEMPOTENCY_KEY_IN_FLIGHT", error.Code);
        Assert.Single(await ProxyControl.RequestsAsync("POST", "/api/v1/emails/send"));
    }

    [Fact]
    public async Task A_caller_given_idempotency_key_is_sent_and_replays_the_first_answer()
    {
        await ProxyControl.ResetAsync();
        using var client = Harness.Client(Harness.ProxyUrl);
        var options = new RequestOptions { IdempotencyKey = $"order-{Guid.NewGuid():N}" };
        var request = new SendEmailRequest { From = Harness.Sender, To = Harness.UniqueAddress("key"), Subject = "Own key", TextBody = "Once." };

        var first = await client.Emails.SendAsync(request, options);
        var second = await client.Emails.SendAsync(request, options);

        Assert.Equal(first.Id, second.Id);
        Assert.All(await ProxyControl.RequestsAsync("POST", "/api/v1/emails/send"), r => Assert.Equal(options.IdempotencyKey, r.Headers["idempotency-key"]));
    }

    [Fact]
    public async Task A_read_is_retried_after_a_gateway_error()
    {
        await ProxyControl.ResetAsync();
        await ProxyControl.FailNextAsync("GET", "/api/v1/me", 504);
        using var client = Harness.Client(Harness.ProxyUrl);

        var me = await client.Account.GetAsync();

        Assert.NotEmpty(me.Permissions);
        Assert.Equal(2, (await ProxyControl.RequestsAsync("GET", "/api/v1/me")).Count);
    }
}
