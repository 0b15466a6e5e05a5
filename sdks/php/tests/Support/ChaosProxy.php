<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Support;

use PHPUnit\Framework\Assert;

/**
 * The harness's chaos proxy control API (sdks/harness/proxy.mjs): lose the next answer, answer a status instead of
 * the server, and list what the proxy saw.
 */
final class ChaosProxy
{
    public static function reset(): void
    {
        self::call('POST', '/reset', []);
    }

    public static function dropNext(string $method, string $path): void
    {
        self::call('POST', '/drop-next', ['method' => $method, 'path' => $path]);
    }

    /** @param array<string, string> $headers */
    public static function failNext(string $method, string $path, int $status, array $headers = []): void
    {
        self::call('POST', '/fail-next', ['method' => $method, 'path' => $path, 'status' => $status] + ($headers === [] ? [] : ['headers' => $headers]));
    }

    /** @return list<array{method: string, path: string, query: string, headers: array<string, string>, action: string, status: ?int}> */
    public static function requests(?string $method = null, ?string $path = null): array
    {
        $all = self::call('GET', '/requests', null);
        return array_values(array_filter($all, static fn (array $r): bool =>
            ($method === null || $r['method'] === $method) && ($path === null || $r['path'] === $path)));
    }

    /** @param array<string, mixed>|null $body */
    private static function call(string $method, string $path, ?array $body): mixed
    {
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => "Content-Type: application/json\r\n",
            'content' => $body === null ? '' : json_encode($body, JSON_THROW_ON_ERROR),
            'ignore_errors' => true,
        ]]);
        $text = file_get_contents(Env::get('PENGUINMAILS_HARNESS_URL') . $path, false, $context);
        Assert::assertNotFalse($text, "the chaos proxy's control API did not answer $method $path");
        return json_decode($text, true, 512, JSON_THROW_ON_ERROR);
    }
}
