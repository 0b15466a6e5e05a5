<?php

declare(strict_types=1);

namespace PenguinMails\Internal;

/** @internal JSON in and out, failing loudly. */
final class Json
{
    /** A request body: an empty PHP array is sent as the empty object `{}` (every JSON body of the API is an object or a list of objects). */
    public static function encodeBody(mixed $body): string
    {
        if ($body === []) {
            return '{}';
        }
        return json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
    }

    /** @throws \JsonException */
    public static function decode(string $text): mixed
    {
        return json_decode($text, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
    }
}
