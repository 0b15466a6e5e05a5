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

    /// <summary>Absolute base URL used in links the server hands out (documentation_url); empty = the request's host.</summary>
    public string PublicUrl { get; set; } = "";

    public DatabaseOptions Database { get; set; } = new();
    public ApiKeyOptions ApiKeys { get; set; } = new();
    public HttpOptions Http { get; set; } = new();

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

    /// <summary>How often last_used_at and the per-key counters are written behind.</summary>
    public double UsageFlushSeconds { get; set; } = 5;
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
