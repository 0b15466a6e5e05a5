namespace PenguinMails;

/// <summary>
/// Every setting of the server, bound from the <c>PenguinMails</c> configuration section
/// (environment form: <c>PenguinMails__Database__Provider</c>). README.md lists them with their defaults.
/// </summary>
public sealed class PenguinMailsOptions
{
    public const string Section = "PenguinMails";

    /// <summary>Where the SQLite file, the generated key-hash secret and other local state live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Absolute base URL of links the server hands out (documentation_url); empty = relative links, never the request's Host header.</summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>Print the first start's banner (the admin's password, how to create a key); off in test servers.</summary>
    public bool FirstRunBanner { get; set; } = true;

    public DatabaseOptions Database { get; set; } = new();
    public ApiKeyOptions ApiKeys { get; set; } = new();
    public HttpOptions Http { get; set; } = new();
    public RedisOptions Redis { get; set; } = new();
    public RateLimitOptions RateLimits { get; set; } = new();
    public ContactOptions Contacts { get; set; } = new();
    public Emails.EmailOptions Emails { get; set; } = new();
    public Delivery.DeliveryOptions Delivery { get; set; } = new();
    public Delivery.SmtpOptions Smtp { get; set; } = new();
    public Campaigns.CampaignOptions Campaigns { get; set; } = new();
    public Tracking.TrackingOptions Tracking { get; set; } = new();
    public Delivery.Dkim.DkimOptions Dkim { get; set; } = new();
    public DataProtectionOptions DataProtection { get; set; } = new();
    public Portal.PortalOptions Portal { get; set; } = new();
    public Installation.InstallationMailOptions InstallationMail { get; set; } = new();
    public Audit.AuditOptions Audit { get; set; } = new();
    public Alerts.AlertOptions Alerts { get; set; } = new();
    public ApiUsage.ApiUsageOptions ApiUsage { get; set; } = new();
    public Esp.EspOptions Esp { get; set; } = new();
    public Domains.DomainOptions Domains { get; set; } = new();
    public Bounces.BounceOptions Bounces { get; set; } = new();

    public string DataPath(params string[] parts) =>
        Path.Combine([Path.GetFullPath(DataDirectory), .. parts]);
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Empty = <c>Data Source={DataDirectory}/penguinmails.db</c> for SQLite; required for PostgreSQL.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the server starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

public sealed class ApiKeyOptions
{
    /// <summary>Base64 secret (≥ 32 bytes) for HMAC-SHA256 of keys. Empty = generated once into the data directory.</summary>
    public string HashSecret { get; set; } = "";

    /// <summary>How often a node looks for keys changed by other nodes (revocations, rotations, edits).</summary>
    public double ChangePollSeconds { get; set; } = 2;
}

public sealed class DataProtectionOptions
{
    /// <summary>Base64 of 32 bytes (AES-256) encrypting the Data Protection key ring. Empty = generated once into the data directory; every node must share it.</summary>
    public string MasterKey { get; set; } = "";
}

public sealed class HttpOptions
{
    /// <summary>Largest request body accepted, in bytes, unless an endpoint declares its own limit.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Addresses or CIDR ranges of TLS-terminating proxies whose X-Forwarded-* headers are believed.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Accept API keys over plain HTTP from any address (for private networks without TLS). Off by default.</summary>
    public bool AllowInsecureHttp { get; set; }
}

public sealed class RedisOptions
{
    /// <summary>StackExchange.Redis configuration ("host:6379,password=..."). Empty = no Redis: each node limits on its own.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Longest a rate-limit decision waits for Redis before the node decides locally.</summary>
    public int TimeoutMilliseconds { get; set; } = 250;

    /// <summary>How often an unreachable Redis is tried again.</summary>
    public double ProbeSeconds { get; set; } = 2;

    /// <summary>Prefix of every key the server writes, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "penguinmails:";
}

public sealed class RateLimitOptions
{
    /// <summary>Per-tenant plan limits on every request made with an API key. Off only for benchmarks.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a node looks for plan changes (<c>tenants set-plan</c>); they apply within this delay.</summary>
    public double PlanRefreshSeconds { get; set; } = 2;

    /// <summary>How often the per-minute usage and the refused requests are written behind.</summary>
    public double UsageFlushSeconds { get; set; } = 5;

    public PlanLimit Starter { get; set; } = new() { PerMinute = 60, Burst = 100 };
    public PlanLimit Professional { get; set; } = new() { PerMinute = 300, Burst = 500 };
    public PlanLimit Business { get; set; } = new() { PerMinute = 1000, Burst = 2000 };
}

/// <summary>A plan's sustained rate and the requests an idle tenant may make at once.</summary>
public sealed class PlanLimit
{
    public int PerMinute { get; set; }
    public int Burst { get; set; }
}

public sealed class ContactOptions
{
    /// <summary>Largest body POST /contacts/import accepts, in bytes; this endpoint only (the global limit stays for the rest).</summary>
    public long MaxImportBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most rows one import may hold; the import stops at the first row past it.</summary>
    public int MaxImportRows { get; set; } = 100_000;

    /// <summary>Rows written per database round (one SaveChanges, then a fresh change tracker).</summary>
    public int ImportBatchSize { get; set; } = 1000;
}
