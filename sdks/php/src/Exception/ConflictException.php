<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/** HTTP 409: the resource's state forbids the change, or it already exists. */
final class ConflictException extends PenguinMailsException
{
}
