<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/**
 * HTTP 429 RATE_LIMIT_EXCEEDED: the tenant's plan allows no more requests now. Thrown once the client's
 * retries (which wait for `Retry-After`) are used up, or when the server asks for a longer wait than the
 * client's `max_retry_after`.
 */
final class RateLimitException extends PenguinMailsException
{
    /** @param list<array<string, mixed>> $details */
    public function __construct(
        string $message,
        string $errorCode,
        array $details,
        ?int $status,
        ?string $requestId,
        ?string $documentationUrl,
        private readonly ?float $retryAfter,
    ) {
        parent::__construct($message, $errorCode, $details, $status, $requestId, $documentationUrl);
    }

    /** Seconds to wait before trying again (the `Retry-After` header), or null when the server gave none. */
    public function getRetryAfter(): ?float
    {
        return $this->retryAfter;
    }
}
