<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/** HTTP 400 or 422: the request is malformed or fails validation; getDetails() names each field at fault. */
final class ValidationException extends PenguinMailsException
{
}
