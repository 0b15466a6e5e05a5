using System.Net;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Cli;

/// <summary>
/// One data directory prepared with the CLI (a tenant, an admin key and a read-only key), then served by the
/// real executable on Kestrel with a 64 KiB body limit. Tests only read, or fail requests on purpose.
/// </summary>
public sealed class ServedDataDirectory : IAsyncLifetime
{
    public const int BodyLimit = 65_536;

    public PenguinMailsExecutable Executable { get; } = new();
    public ServeProcess Server { get; private set; } = null!;
    public string AdminKey { get; private set; } = "";
    public string ReadOnlyKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Assert.Equal(0, (await Executable.RunAsync("tenants", "create", "--name", "Acme Corp")).Exit);
        AdminKey = await KeyAsync("admin", "full_access");
        ReadOnlyKey = await KeyAsync("reports", "read_only");
        Server = await ServeProcess.StartAsync(Executable,
            new Dictionary<string, string> { ["PenguinMails__Http__MaxRequestBodyBytes"] = BodyLimit.ToString() });
    }

    private async Task<string> KeyAsync(string name, string preset)
    {
        var created = await Executable.RunAsync("keys", "create", "--tenant", "acme-corp", "--name", name, "--preset", preset);
        Assert.True(created.Exit == 0, created.Err);
        return Assert.Single(created.OutLines);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Executable.Dispose();
    }
}

public sealed class ServeOverKestrelTests(ServedDataDirectory served) : IClassFixture<ServedDataDirectory>
{
    [Fact]
    public async Task ReadOnlyKeyFromCli_AuthenticatesOnTheCanonicalPath_WithItsPresetPermissions()
    {
        using var client = served.Server.Client(served.ReadOnlyKey);

        var me = await (await client.GetAsync("/api/v1/me")).DataAsync();

        Assert.Equal(["campaigns:read", "contacts:read", "analytics:read"],
            me["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task ReadOnlyKeyFromCli_IsRefusedKeyManagement()
    {
        using var client = served.Server.Client(served.ReadOnlyKey);

        var error = await (await client.GetAsync("/api/v1/platform/api-keys")).ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");

        Assert.Equal("admin:api_keys", error["details"]![0]!["permission"]!.GetValue<string>());
    }

    [Fact]
    public async Task AdminKeyFromCli_ListsBothKeysOfTheTenant()
    {
        using var client = served.Server.Client(served.AdminKey);

        var keys = await (await client.GetAsync("/api/v1/platform/api-keys")).DataAsync();

        Assert.Equal(["admin", "reports"], keys.AsArray().Select(k => k!["name"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_IsPayloadTooLarge()
    {
        using var client = served.Server.Client(served.AdminKey);
        var json = $"{{\"name\": \"{new string('a', ServedDataDirectory.BodyLimit * 2)}\", \"preset\": \"read_only\"}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/platform/api-keys") { Content = new UnknownLengthJson(json) };

        var response = await client.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        await response.ErrorAsync(413, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task RequestsOverKestrel_CarryTheirRequestIdHeader()
    {
        using var client = served.Server.Client();

        var response = await client.GetAsync("/api/v1/me");
        var error = await response.ErrorAsync(401, "AUTHENTICATION_REQUIRED");

        Assert.Equal(error["request_id"]!.GetValue<string>(), Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.StartsWith("/docs/errors#", error["documentation_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Head_OverKestrel_SendsHeadersAndNoBody()
    {
        using var client = served.Server.Client();

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/healthz"));
        var after = await client.GetAsync("/healthz"); // the connection is still in step: no stray body was sent

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(200, (int)after.StatusCode);
    }

    [Fact]
    public async Task EmptyIdempotencyKey_OverKestrel_IsRefused()
    {
        using var client = served.Server.Client(served.AdminKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/emails/send")
        {
            Content = new StringContent("""{"from": "a@example.com", "to": "b@example.com", "subject": "S", "html_body": "B"}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "");

        await (await client.SendAsync(request)).ErrorAsync(400, "VALIDATION_ERROR");
    }

    /// <summary>A JSON body whose length is not declared, so it travels chunked, as a streaming client sends it.</summary>
    private sealed class UnknownLengthJson : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLengthJson(string json)
        {
            _bytes = System.Text.Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
