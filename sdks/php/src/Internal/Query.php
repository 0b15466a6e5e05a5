<?php

declare(strict_types=1);

namespace PenguinMails\Internal;

/**
 * @internal The query string of a call: nulls left out, booleans as `true`/`false`, dates as RFC 3339,
 * lists as the parameter repeated (`type=a&type=b`).
 */
final class Query
{
    /** @param array<string, mixed> $params */
    public static function build(array $params): string
    {
        $pairs = [];
        foreach ($params as $name => $value) {
            foreach (is_array($value) ? $value : [$value] as $item) {
                if ($item !== null) {
                    $pairs[] = rawurlencode((string) $name) . '=' . rawurlencode(self::scalar($item));
                }
            }
        }
        return $pairs === [] ? '' : '?' . implode('&', $pairs);
    }

    private static function scalar(mixed $value): string
    {
        return match (true) {
            is_bool($value) => $value ? 'true' : 'false',
            $value instanceof \DateTimeInterface => $value->format(\DateTimeInterface::RFC3339),
            $value instanceof \BackedEnum => (string) $value->value,
            is_scalar($value), $value instanceof \Stringable => (string) $value,
            default => throw new \InvalidArgumentException('A query parameter must be a string, number, boolean, date or a list of them; got ' . get_debug_type($value) . '.'),
        };
    }
}
