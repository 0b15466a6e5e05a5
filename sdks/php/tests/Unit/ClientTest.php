<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Unit;

use PenguinMails\Client;
use PenguinMails\Exception\ConnectionException;
use PenguinMails\Internal\Query;
use PHPUnit\Framework\TestCase;

/** The client's configuration, its query strings, and that the key shows nowhere but the Authorization header. */
final class ClientTest extends TestCase
{
    private const KEY = 'pm_live_UnitTestKey0123456789abcdefghijklmnopqrstuvwxyzSECRET';

    public function test_the_key_is_not_in_var_dump_print_r_var_export_or_json(): void
    {
        $client = new Client(self::KEY, ['base_url' => 'http://127.0.0.1:9']);
        ob_start();
        var_dump($client, $client->emails);
        $dump = (string) ob_get_clean();
        $outputs = [$dump, print_r($client, true), print_r($client->contacts, true), var_export($client, true),
            json_encode($client, JSON_THROW_ON_ERROR), print_r((array) $client, true)];
        foreach ($outputs as $output) {
            self::assertStringNotContainsString('SECRET', $output);
            self::assertStringNotContainsString('UnitTestKey', $output);
        }
        self::assertStringContainsString('pm_live_…(hidden)', $dump);
    }

    public function test_a_client_cannot_be_serialized(): void
    {
        $this->expectException(\LogicException::class);
        serialize(new Client(self::KEY));
    }

    public function test_the_key_is_not_in_exceptions_or_their_traces(): void
    {
        $previous = ini_set('zend.exception_ignore_args', '0');
        try {
            $client = new Client(self::KEY, ['base_url' => 'http://127.0.0.1:9', 'max_retries' => 0]);
            $client->apiKeys->create(['name' => 'x']);
            self::fail('port 9 answered');
        } catch (ConnectionException $e) {
            self::assertTrue($e->neverConnected());
            self::assertStringContainsString('[args]', print_r($e->getTrace(), true), 'arguments are recorded, so the check below means something');
            for ($t = $e; $t !== null; $t = $t->getPrevious()) {
                self::assertStringNotContainsString('SECRET', (string) $t);
                self::assertStringNotContainsString('SECRET', print_r($t->getTrace(), true));
            }
        } finally {
            ini_set('zend.exception_ignore_args', (string) $previous);
        }
        try {
            new Client(self::KEY, ['baseUrl' => 'x']);
            self::fail('an unknown option was accepted');
        } catch (\InvalidArgumentException $e) {
            self::assertStringContainsString('baseUrl', $e->getMessage());
            self::assertStringNotContainsString('SECRET', $e->getTraceAsString());
        }
    }

    public function test_configuration_errors_are_clear(): void
    {
        $cases = [
            [fn () => new Client(''), 'API key is required'],
            [fn () => new Client("pm_live_x\r\nX-Evil: 1"), 'control characters'],
            [fn () => new Client(self::KEY, ['base_url' => 'ftp://example.com']), 'http:// or https://'],
            [fn () => new Client(self::KEY, ['max_retries' => -1]), 'must not be negative'],
            [fn () => new Client(self::KEY, ['on_retry' => 'no such function']), 'callable'],
            [fn () => (new Client(self::KEY, ['base_url' => 'http://127.0.0.1:9']))->emails->send(['to' => 'a@example.com'], ['idempotency_key' => "k\r\nX-Evil: 1"]), 'printable ASCII'],
            [fn () => (new Client(self::KEY, ['base_url' => 'http://127.0.0.1:9']))->contacts->get(''), 'must not be empty'],
        ];
        foreach ($cases as [$make, $message]) {
            try {
                $make();
                self::fail("accepted; expected: $message");
            } catch (\InvalidArgumentException $e) {
                self::assertStringContainsString($message, $e->getMessage());
            }
        }
    }

    public function test_defaults_and_the_environment_key(): void
    {
        $before = getenv('PENGUINMAILS_API_KEY');
        putenv('PENGUINMAILS_API_KEY=' . self::KEY);
        try {
            $client = new Client();
            self::assertSame('http://localhost:5080', $client->baseUrl());
            self::assertSame(2, $client->retryPolicy()->maxRetries);
            self::assertSame(0.5, $client->retryPolicy()->initialDelay);
            self::assertSame(30.0, $client->retryPolicy()->maxDelay);
            self::assertSame('https://mail.example.com/base', (new Client(self::KEY, ['base_url' => 'https://mail.example.com/base/']))->baseUrl());
        } finally {
            putenv($before === false ? 'PENGUINMAILS_API_KEY' : 'PENGUINMAILS_API_KEY=' . $before);
        }
    }

    public function test_query_strings(): void
    {
        self::assertSame('', Query::build([]));
        self::assertSame('', Query::build(['cursor' => null]));
        self::assertSame('?bom=true&limit=100&search=a%20b%26c', Query::build(['bom' => true, 'limit' => 100, 'search' => 'a b&c']));
        self::assertSame('?type=api_key.created&type=api_key.revoked', Query::build(['type' => ['api_key.created', 'api_key.revoked']]));
        $date = new \DateTimeImmutable('2026-11-30T10:00:00', new \DateTimeZone('+01:00'));
        self::assertSame('?from=2026-11-30T10%3A00%3A00%2B01%3A00', Query::build(['from' => $date]));
    }
}
