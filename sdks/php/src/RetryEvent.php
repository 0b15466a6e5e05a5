<?php

declare(strict_types=1);

namespace PenguinMails;

/**
 * What the client is about to retry, given to the `on_retry` option (for logging or metrics). Holds no key and
 * no body.
 */
final readonly class RetryEvent
{
    /**
     * @param int $retry 1 for the first retry
     * @param ?int $status the HTTP status that caused it, null for a connection failure
     * @param float $delay seconds the client waits now
     * @param ?float $retryAfter the server's `Retry-After` in seconds, when it sent one
     * @param string $reason e.g. `HTTP 429 RATE_LIMIT_EXCEEDED` or the connection error
     * @param ?string $idempotencyKey the key every attempt of this call carries, when the operation takes one
     */
    public function __construct(
        public string $method,
        public string $path,
        public int $retry,
        public ?int $status,
        public float $delay,
        public ?float $retryAfter,
        public string $reason,
        public ?string $requestId,
        public ?string $idempotencyKey,
    ) {
    }
}
