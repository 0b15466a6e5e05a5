namespace PenguinMails;

/// <summary>How an operation may be retried (sdk-contract "Retries").</summary>
internal enum RetryMode
{
    /// <summary>Reads, PUT/PATCH/DELETE and POSTs with an Idempotency-Key: every retryable failure is retried.</summary>
    Always,

    /// <summary>
    /// Answers carrying a secret (the server keeps no copy for a replay) and POSTs without an Idempotency-Key:
    /// retried only when the request surely did not reach the server — 429, 503 with Retry-After, connect refused.
    /// </summary>
    OnlyUnsent,
}
