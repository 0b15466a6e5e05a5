<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/**
 * No HTTP answer: the connection was refused, timed out or was cut (code `CONNECTION_ERROR`, status null).
 * For a write without an idempotency key, or one that returns a secret, the request may or may not have
 * been carried out: {@see neverConnected()} tells whether it surely was not.
 */
final class ConnectionException extends PenguinMailsException
{
    public function __construct(string $message, private readonly bool $neverConnected, ?\Throwable $previous = null)
    {
        parent::__construct($message, 'CONNECTION_ERROR', previous: $previous);
    }

    /** True when the connection never opened (refused, name not resolved), so the server surely did nothing. */
    public function neverConnected(): bool
    {
        return $this->neverConnected;
    }
}
