<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/** HTTP 403: the key lacks the permission, or the caller's IP is not allowed. */
final class PermissionException extends PenguinMailsException
{
}
