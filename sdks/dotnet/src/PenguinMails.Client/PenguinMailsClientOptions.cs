namespace PenguinMails;

/// <summary>
/// Settings of a <see cref="PenguinMailsClient"/>. Times are <see cref="TimeSpan"/>s; the retry settings implement
/// the API reference's "clients MUST treat HTTP 429 as a first-class signal and implement configurable retry/backoff".
/// <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class PenguinMailsClientOptions
{
    /// <summary>The default base URL: a self-hosted server on this machine (<c>http://localhost:5080</c>).</summary>
    public const string DefaultBaseUrl = "http://localhost:5080";

    /// <summary>The server's base URL, without <c>/api/v1</c> (e.g. <c>https://mail.example.com</c>).</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>
    /// The API key (<c>pm_live_...</c> or <c>pm_test_...</c>), sent as <c>Authorization: Bearer</c>. Needed with
    /// <c>AddPenguinMailsClient</c>; the <see cref="PenguinMailsClient(string, PenguinMailsClientOptions?)"/>
    /// constructor takes it as its first argument instead.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>How many times a failed call is retried (429, 502, 503, 504, no answer); 0 turns retries off. Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry waits up to this long (full jitter), doubling each retry. Default 0.5 s.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest wait between two attempts. Default 30 s. A <c>Retry-After</c> longer than this is not waited
    /// for: the call fails with <see cref="RateLimitException"/> (or the server error) at once.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take before it counts as failed (and may be retried). Default 60 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The options' settings, without the key.</summary>
    public override string ToString()
        => $"PenguinMailsClientOptions {{ BaseUrl = {BaseUrl}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "(set)")}, MaxRetries = {MaxRetries} }}";

    internal PenguinMailsClientOptions Validated()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"BaseUrl must be an absolute http or https URL, not '{BaseUrl}'.", nameof(BaseUrl));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
        ArgumentOutOfRangeException.ThrowIfNegative(InitialRetryDelay.Ticks, nameof(InitialRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, InitialRetryDelay, nameof(MaxRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        return this;
    }
}
