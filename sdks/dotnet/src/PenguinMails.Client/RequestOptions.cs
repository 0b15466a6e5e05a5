namespace PenguinMails;

/// <summary>
/// Per-call options of the operations that take an <c>Idempotency-Key</c> (the overloads with a
/// <see cref="RequestOptions"/> parameter). Without one, each call generates a UUID v4 key and reuses it on its retries.
/// </summary>
public sealed record RequestOptions
{
    /// <summary>
    /// The key to send (1–255 printable ASCII characters). Give your own to make a retry of your own — e.g. after a
    /// crash — return the first answer instead of writing twice: the server keeps answers for 24 hours.
    /// </summary>
    public string? IdempotencyKey { get; init; }
}
