<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Internal\Requester;

/**
 * A group of API operations, reached as `$client-><resource>` (operations.json's `resource`). Each method is one
 * operation: path parameters first, then the JSON body (the wire shape, snake_case), then query parameters or call
 * options as one array. Results are the envelope's `data` as arrays; lists give a {@see \PenguinMails\Page}.
 */
abstract class Resource
{
    /** @internal created by {@see \PenguinMails\Client} */
    public function __construct(protected readonly Requester $requester)
    {
    }

    /** The path with each `{name}` replaced, in order, by a parameter (percent-encoded: ids and addresses may hold `@`, `+` or `/`). */
    protected static function path(string $template, string ...$params): string
    {
        $i = 0;
        return (string) preg_replace_callback('/\{[^}]+\}/', static function () use (&$i, $params): string {
            $value = $params[$i++] ?? '';
            if ($value === '') {
                throw new \InvalidArgumentException('A path parameter must not be empty.');
            }
            return rawurlencode($value);
        }, $template);
    }

    /** @return array<string, mixed> */
    public function __debugInfo(): array
    {
        return [];
    }
}
