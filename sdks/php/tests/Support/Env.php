<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Support;

use PenguinMails\Client;
use PHPUnit\Framework\Assert;

/** The harness's environment (sdks/run-tests.sh): a missing variable fails the test, it never skips it. */
final class Env
{
    public static function get(string $name): string
    {
        $value = getenv($name);
        if ($value === false || $value === '') {
            Assert::fail("$name is not set: run the suite through sdks/run-tests.sh php (it starts the server and sets it).");
        }
        return $value;
    }

    /** @param array<string, mixed> $options */
    public static function client(array $options = [], ?string $key = null): Client
    {
        return new Client($key ?? self::get('PENGUINMAILS_API_KEY'), $options + ['base_url' => self::get('PENGUINMAILS_BASE_URL')]);
    }

    /** A client through the chaos proxy, retrying with short waits. */
    public static function proxied(array $options = []): Client
    {
        return self::client($options + ['base_url' => self::get('PENGUINMAILS_PROXY_URL'), 'initial_delay' => 0.05, 'max_delay' => 0.2]);
    }

    /** Something unique to this run, for addresses and tags. */
    public static function unique(string $prefix): string
    {
        return $prefix . '-' . bin2hex(random_bytes(6));
    }
}
