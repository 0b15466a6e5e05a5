namespace PenguinMails;

/// <summary>
/// The PenguinMails API client: one property per resource (<c>client.Emails.SendAsync(...)</c>,
/// <c>client.Contacts.ListAllAsync(...)</c>), each method an operation of the server's OpenAPI document
/// (<c>/openapi/v1.json</c>). Create it with <see cref="PenguinMailsClient(string, PenguinMailsClientOptions?)"/>
/// and keep one instance for the application's lifetime (it is thread-safe), or register it with
/// <c>services.AddPenguinMailsClient(o => ...)</c> (a typed client of IHttpClientFactory). The key is never
/// logged and never part of <see cref="ToString"/> or of an exception's message.
/// </summary>
public sealed class PenguinMailsClient : IDisposable
{
    private readonly HttpClient? ownedHttpClient;

    /// <summary>A client with its own HttpClient (and retry handler) for the given key.</summary>
    /// <param name="apiKey">The API key, <c>pm_live_...</c> or <c>pm_test_...</c>.</param>
    /// <param name="options">Base URL, retries and timeout; the defaults when null (<see cref="PenguinMailsClientOptions.ApiKey"/> is ignored here).</param>
    /// <exception cref="ArgumentException">The key is empty or the options are invalid.</exception>
    public PenguinMailsClient(string apiKey, PenguinMailsClientOptions? options = null)
        : this(Owned(apiKey, (options ?? new PenguinMailsClientOptions()).Validated()))
    {
    }

    /// <summary>The typed client of <c>AddPenguinMailsClient</c>: the factory's HttpClient, which the factory keeps owning.</summary>
    internal PenguinMailsClient(HttpClient httpClient, PenguinMailsClientOptions options, TimeProvider time)
        : this((new PenguinMailsTransport(httpClient, KeyOf(options.Validated()), options, time), options, null))
    {
    }

    private PenguinMailsClient((PenguinMailsTransport Transport, PenguinMailsClientOptions Options, HttpClient? Owned) parts)
    {
        var transport = parts.Transport;
        Options = parts.Options;
        ownedHttpClient = parts.Owned;
        Account = new AccountResource(transport);
        ApiKeys = new ApiKeysResource(transport);
        AuditLog = new AuditLogResource(transport);
        Contacts = new ContactsResource(transport);
        Emails = new EmailsResource(transport);
        Campaigns = new CampaignsResource(transport);
        Analytics = new AnalyticsResource(transport);
        Usage = new UsageResource(transport);
        Templates = new TemplatesResource(transport);
        Suppressions = new SuppressionsResource(transport);
        Esp = new EspResource(transport);
        Domains = new DomainsResource(transport);
        Webhooks = new WebhooksResource(transport);
    }

    /// <summary>The settings in use (the key is not shown by their ToString).</summary>
    public PenguinMailsClientOptions Options { get; }

    /// <summary>The calling key: <c>GET /me</c>.</summary>
    public AccountResource Account { get; }

    /// <summary>API keys: list, create, rotate, revoke.</summary>
    public ApiKeysResource ApiKeys { get; }

    /// <summary>The tenant's audit log.</summary>
    public AuditLogResource AuditLog { get; }

    /// <summary>Contacts: upsert, list, import, export, erase.</summary>
    public ContactsResource Contacts { get; }

    /// <summary>Emails: send, batch, get, list, cancel.</summary>
    public EmailsResource Emails { get; }

    /// <summary>Campaigns: create, send, schedule, pause, resume, cancel.</summary>
    public CampaignsResource Campaigns { get; }

    /// <summary>Campaign analytics.</summary>
    public AnalyticsResource Analytics { get; }

    /// <summary>API usage analytics and the request log.</summary>
    public UsageResource Usage { get; }

    /// <summary>Templates: create, update, preview.</summary>
    public TemplatesResource Templates { get; }

    /// <summary>The suppression list.</summary>
    public SuppressionsResource Suppressions { get; }

    /// <summary>The tenant's email service provider settings.</summary>
    public EspResource Esp { get; }

    /// <summary>Sending domains: add, verify, rotate DKIM.</summary>
    public DomainsResource Domains { get; }

    /// <summary>Webhook endpoints and their deliveries.</summary>
    public WebhooksResource Webhooks { get; }

    /// <summary>Releases the HttpClient this client created (none when it came from IHttpClientFactory).</summary>
    public void Dispose() => ownedHttpClient?.Dispose();

    /// <summary>The client's base URL, without the key.</summary>
    public override string ToString() => $"PenguinMailsClient {{ BaseUrl = {Options.BaseUrl} }}";

    private static (PenguinMailsTransport, PenguinMailsClientOptions, HttpClient?) Owned(string apiKey, PenguinMailsClientOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        var handler = new PenguinMailsRetryHandler(options)
        {
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        var http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        return (new PenguinMailsTransport(http, apiKey, options, TimeProvider.System), options, http);
    }

    private static string KeyOf(PenguinMailsClientOptions options)
        => string.IsNullOrWhiteSpace(options.ApiKey)
            ? throw new InvalidOperationException("PenguinMailsClientOptions.ApiKey is not set: give it in AddPenguinMailsClient(o => o.ApiKey = ...).")
            : options.ApiKey;
}
