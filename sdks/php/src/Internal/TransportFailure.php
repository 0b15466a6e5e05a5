<?php

declare(strict_types=1);

namespace PenguinMails\Internal;

/**
 * @internal No HTTP answer. $neverConnected is true only when the request surely never left (connection refused,
 * name not resolved, connect timeout): the only connection failures after which a secret-returning call or a
 * POST without an idempotency key may be sent again.
 */
final class TransportFailure extends \RuntimeException
{
    public function __construct(string $message, public readonly bool $neverConnected)
    {
        parent::__construct($message);
    }
}
