<?php

declare(strict_types=1);

namespace PenguinMails\Exception;

/** HTTP 404: no such resource in this tenant. */
final class NotFoundException extends PenguinMailsException
{
}
