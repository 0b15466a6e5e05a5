<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/** HTTP 5xx: the server failed; retried automatically where safe before this is thrown. */
final class ServerException extends PenguinMailsException
{
}
