using System.Net.Http.Json;
using System.Text.Json;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PenguinMails.Tests;

/// <summary>
/// The environment sdks/run-tests.sh gives every SDK suite (sdks/harness/README.md): the server, keys, the chaos
/// proxy and its control API, the webhook vector, and the shared scenarios and operations files.
/// </summary>
internal static class Harness
{
    public static string BaseUrl => Env("PENGUINMAILS_BASE_URL");

    public static string ApiKey => Env("PENGUINMAILS_API_KEY");

    public static string LimitedApiKey => Env("PENGUINMAILS_LIMITED_API_KEY");

    public static string Sender => Env("PENGUINMAILS_SENDER");

    public static string OpenApiUrl => Env("PENGUINMAILS_OPENAPI_URL");

    public static string ProxyUrl => Env("PENGUINMAILS_PROXY_URL");

    public static string WebhookVector => Env("PENGUINMAILS_WEBHOOK_VECTOR");

    /// <summary>sdks/scenarios.json (test.sh passes its path; the default is the checkout's).</summary>
    public static string ScenariosFile => Environment.GetEnvironmentVariable("PENGUINMAILS_SCENARIOS_FILE") ?? SdksFile("scenarios.json");

    /// <summary>sdks/operations.json.</summary>
    public static string OperationsFile => Environment.GetEnvironmentVariable("PENGUINMAILS_OPERATIONS_FILE") ?? SdksFile("operations.json");

    /// <summary>A client of the business tenant, direct to the server.</summary>
    public static PenguinMailsClient Client(string? baseUrl = null, string? apiKey = null, int maxRetries = 2)
        => new(apiKey ?? ApiKey, new PenguinMailsClientOptions
        {
            BaseUrl = baseUrl ?? BaseUrl,
            MaxRetries = maxRetries,
            InitialRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromSeconds(60),
        });

    /// <summary>A unique address on a reserved domain (RFC 2606): nothing leaves the machine anyway.</summary>
    public static string UniqueAddress(string prefix) => $"{prefix}-{Guid.NewGuid():N}@example.com";

    private static string Env(string name)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run these tests with sdks/run-tests.sh dotnet (or sdks/dotnet/test.sh under its environment).");

    private static string SdksFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "sdks", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"sdks/{name} not found above {AppContext.BaseDirectory}; set PENGUINMAILS_{name.Split('.')[0].ToUpperInvariant()}_FILE.");
    }
}

/// <summary>One request the chaos proxy saw.</summary>
internal sealed record ProxyRequest(string Method, string Path, string? Query, IReadOnlyDictionary<string, string> Headers, string Action, int? Status);

/// <summary>The chaos proxy's control API (PENGUINMAILS_HARNESS_URL).</summary>
internal static class ProxyControl
{
    private static readonly HttpClient Http = new();

    private static string Url => Environment.GetEnvironmentVariable("PENGUINMAILS_HARNESS_URL") is { Length: > 0 } url
        ? url.TrimEnd('/')
        : throw new InvalidOperationException("PENGUINMAILS_HARNESS_URL is not set: run these tests with sdks/run-tests.sh dotnet.");

    public static async Task ResetAsync() => (await Http.PostAsJsonAsync(Url + "/reset", new { })).EnsureSuccessStatusCode();

    public static async Task DropNextAsync(string method, string path)
        => (await Http.PostAsJsonAsync(Url + "/drop-next", new { method, path })).EnsureSuccessStatusCode();

    public static async Task FailNextAsync(string method, string path, int status, Dictionary<string, string>? headers = null, string? body = null)
        => (await Http.PostAsJsonAsync(Url + "/fail-next", new { method, path, status, headers = headers ?? [], body })).EnsureSuccessStatusCode();

    public static async Task<IReadOnlyList<ProxyRequest>> RequestsAsync(string? method = null, string? path = null)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(Url + "/requests"));
        var seen = new List<ProxyRequest>();
        foreach (var r in document.RootElement.EnumerateArray())
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (r.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in h.EnumerateObject())
                {
                    headers[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.ToString();
                }
            }

            seen.Add(new ProxyRequest(
                r.GetProperty("method").GetString()!, r.GetProperty("path").GetString()!,
                r.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null,
                headers, r.GetProperty("action").GetString()!,
                r.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null));
        }

        return seen.Where(x => (method is null || x.Method == method) && (path is null || x.Path == path)).ToList();
    }
}

/// <summary>Records every attempt the client makes (added inside the retry handler, so it sees each retry).</summary>
internal sealed class AttemptRecorder : DelegatingHandler
{
    public List<(int Status, TimeSpan? RetryAfter, DateTimeOffset At)> Attempts { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        lock (Attempts)
        {
            Attempts.Add(((int)response.StatusCode, response.Headers.RetryAfter?.Delta, DateTimeOffset.UtcNow));
        }

        return response;
    }
}
