<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/** HTTP 401: the key is missing, malformed, revoked or expired. */
final class AuthenticationException extends PenguinMailsException
{
}
