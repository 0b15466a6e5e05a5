<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/**
 * A webhook that must not be trusted: a header missing, the timestamp outside the tolerance, or no
 * signature matching (Standard Webhooks). The message says which, never the secret.
 */
final class WebhookVerificationException extends \UnexpectedValueException
{
}
