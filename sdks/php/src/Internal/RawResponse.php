<?php

declare(strict_types=1);

namespace PenguinMails\Internal;

/** @internal One HTTP answer: status, headers (names lower-cased, last value wins) and body. */
final readonly class RawResponse
{
    /** @param array<string, string> $headers */
    public function __construct(
        public int $status,
        public array $headers,
        public string $body,
    ) {
    }

    public function header(string $name): ?string
    {
        return $this->headers[strtolower($name)] ?? null;
    }
}
