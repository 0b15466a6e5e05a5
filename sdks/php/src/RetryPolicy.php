<?php

declare(strict_types=1);

namespace PenguinMails;

/**
 * When and how long the client waits before trying a call again (api-reference.md: "Clients MUST treat HTTP 429
 * as a first-class signal and implement configurable retry/backoff").
 *
 * Without `Retry-After` the wait is exponential backoff with full jitter: a random time in
 * [0, min(maxDelay, initialDelay × 2^retry)] seconds. With `Retry-After` (seconds or an HTTP date, RFC 9110
 * section 10.2.3) the client waits exactly that long, unless it exceeds maxRetryAfter: then it does not retry.
 */
final readonly class RetryPolicy
{
    /**
     * @param int $maxRetries retries after the first attempt (0 = never retry)
     * @param float $initialDelay seconds: the backoff ceiling of the first retry
     * @param float $maxDelay seconds: the backoff ceiling of any retry
     * @param float $maxRetryAfter seconds: a longer `Retry-After` is not waited for (the error is thrown instead)
     */
    public function __construct(
        public int $maxRetries = 2,
        public float $initialDelay = 0.5,
        public float $maxDelay = 30.0,
        public float $maxRetryAfter = 60.0,
    ) {
        if ($maxRetries < 0 || $initialDelay < 0 || $maxDelay < 0 || $maxRetryAfter < 0) {
            throw new \InvalidArgumentException('max_retries, initial_delay, max_delay and max_retry_after must not be negative.');
        }
    }

    /**
     * The backoff before retry number $retry (0 for the first retry), in seconds.
     *
     * @param float $unit a random number in [0, 1) — the jitter; tests pass fixed values
     */
    public function backoff(int $retry, float $unit): float
    {
        $ceiling = min($this->maxDelay, $this->initialDelay * 2 ** min($retry, 62));
        return $ceiling * max(0.0, min($unit, 1.0));
    }

    /**
     * The wait before retry number $retry: `Retry-After` when the server gave one, else jittered backoff.
     * Null when the server asked for more than maxRetryAfter (do not retry).
     */
    public function delay(int $retry, ?float $retryAfter): ?float
    {
        if ($retryAfter !== null) {
            return $retryAfter <= $this->maxRetryAfter ? $retryAfter : null;
        }
        return $this->backoff($retry, random_int(0, PHP_INT_MAX - 1) / PHP_INT_MAX);
    }

    /**
     * Reads a `Retry-After` value: delta-seconds (`"2"`) or an HTTP date (`"Wed, 21 Oct 2026 07:28:00 GMT"`).
     *
     * @param int|null $now Unix time the date is measured from (tests pass a fixed one)
     * @return float|null seconds to wait (0 for a date already past), or null when absent or unreadable
     */
    public static function parseRetryAfter(?string $value, ?int $now = null): ?float
    {
        $value = trim((string) $value);
        if ($value === '') {
            return null;
        }
        if (preg_match('/^\d+$/', $value) === 1) {
            return (float) $value;
        }
        $date = \DateTimeImmutable::createFromFormat(\DateTimeInterface::RFC7231, $value, new \DateTimeZone('UTC'));
        if ($date === false) {
            return null;
        }
        return (float) max(0, $date->getTimestamp() - ($now ?? time()));
    }
}
