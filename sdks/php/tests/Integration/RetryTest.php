<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Integration;

use PenguinMails\Client;
use PenguinMails\Exception\ConnectionException;
use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Exception\RateLimitException;
use PenguinMails\Exception\ServerException;
use PenguinMails\RetryEvent;
use PenguinMails\Tests\Support\ChaosProxy;
use PenguinMails\Tests\Support\Env;
use PHPUnit\Framework\TestCase;

/**
 * What is retried and what is not, through the harness's chaos proxy in front of the real server: refusals (429,
 * 503 with Retry-After, a connection never opened) always; answers lost after the request may have reached the
 * server only when repeating is harmless — never for an operation whose answer carries a secret.
 */
final class RetryTest extends TestCase
{
    private const KEYS = '/api/v1/platform/api-keys';

    /** @var list<RetryEvent> */
    private array $retries = [];

    protected function setUp(): void
    {
        ChaosProxy::reset();
        $this->retries = [];
    }

    public function test_a_secret_returning_call_is_not_retried_after_a_502(): void
    {
        ChaosProxy::failNext('POST', self::KEYS, 502);
        $this->expectFailure(ServerException::class, fn () => $this->client()->apiKeys->create(self::newKey()));
        self::assertCount(1, ChaosProxy::requests('POST', self::KEYS));
        self::assertSame([], $this->retries);
    }

    public function test_a_secret_returning_call_is_not_retried_when_its_answer_is_lost(): void
    {
        ChaosProxy::dropNext('POST', self::KEYS);
        $body = self::newKey();
        $e = $this->expectFailure(ConnectionException::class, fn () => $this->client()->apiKeys->create($body));
        self::assertFalse($e->neverConnected());
        self::assertNull($e->getStatus());
        self::assertCount(1, ChaosProxy::requests('POST', self::KEYS));
        // The server did make the key (its answer was lost): revoke it.
        foreach (Env::client()->apiKeys->listAll(['search' => $body['name']]) as $key) {
            Env::client()->apiKeys->revoke($key['id']);
        }
    }

    public function test_a_secret_returning_call_is_not_resent_on_a_reused_connection_found_dead(): void
    {
        $client = $this->client();
        $client->account->get(); // opens a keep-alive connection to the proxy
        ChaosProxy::dropNext('POST', self::KEYS);
        $body = self::newKey();
        $this->expectFailure(ConnectionException::class, fn () => $client->apiKeys->create($body));
        self::assertCount(1, ChaosProxy::requests('POST', self::KEYS));
        foreach (Env::client()->apiKeys->listAll(['search' => $body['name']]) as $key) {
            Env::client()->apiKeys->revoke($key['id']);
        }
    }

    public function test_a_secret_returning_call_is_not_retried_after_a_503_without_retry_after(): void
    {
        ChaosProxy::failNext('POST', self::KEYS, 503);
        $this->expectFailure(ServerException::class, fn () => $this->client()->apiKeys->create(self::newKey()));
        self::assertCount(1, ChaosProxy::requests('POST', self::KEYS));
    }

    public function test_a_secret_returning_call_is_retried_after_a_refusal(): void
    {
        ChaosProxy::failNext('POST', self::KEYS, 429, ['Retry-After' => '0']);
        ChaosProxy::failNext('POST', self::KEYS, 503, ['Retry-After' => '0']);
        $created = $this->client()->apiKeys->create(self::newKey());

        self::assertStringStartsWith('pm_', $created['key']);
        self::assertSame(['failed', 'failed', 'forwarded'], array_column(ChaosProxy::requests('POST', self::KEYS), 'action'));
        self::assertSame([429, 503], array_map(static fn (RetryEvent $e) => $e->status, $this->retries));
        self::assertSame([0.0, 0.0], array_map(static fn (RetryEvent $e) => $e->retryAfter, $this->retries));
        Env::client()->apiKeys->revoke($created['api_key']['id']);
    }

    public function test_a_secret_returning_call_is_retried_when_the_connection_never_opened(): void
    {
        $client = new Client(Env::get('PENGUINMAILS_API_KEY'), ['base_url' => 'http://127.0.0.1:' . self::closedPort(),
            'initial_delay' => 0.01, 'on_retry' => $this->recorder()]);
        $e = $this->expectFailure(ConnectionException::class, fn () => $client->apiKeys->create(self::newKey()));
        self::assertTrue($e->neverConnected());
        self::assertSame('CONNECTION_ERROR', $e->getCode());
        self::assertCount(2, $this->retries);
        self::assertSame([1, 2], array_map(static fn (RetryEvent $e) => $e->retry, $this->retries));
    }

    public function test_a_read_is_retried_after_a_502_and_a_lost_answer(): void
    {
        ChaosProxy::failNext('GET', '/api/v1/me', 502);
        ChaosProxy::dropNext('GET', '/api/v1/me');
        $me = $this->client()->account->get();

        self::assertNotEmpty($me['key_id']);
        self::assertSame(['failed', 'dropped', 'forwarded'], array_column(ChaosProxy::requests('GET', '/api/v1/me'), 'action'));
        // libcurl itself sends a safe request again on a fresh connection when a reused one is found dead, so the
        // lost answer may not reach the SDK's own retry loop: at least the 502 did.
        self::assertSame(502, $this->retries[0]->status ?? null);
    }

    public function test_a_post_without_an_idempotency_key_is_not_retried_after_a_502(): void
    {
        ChaosProxy::failNext('POST', '/api/v1/templates', 502);
        $slug = Env::unique('tpl');
        $this->expectFailure(ServerException::class, fn () => $this->client()->templates->create(
            ['slug' => $slug, 'name' => 'Retry', 'subject' => 'Hi', 'html_body' => '<p>Hi</p>']));
        self::assertCount(1, ChaosProxy::requests('POST', '/api/v1/templates'));
    }

    public function test_a_write_with_an_idempotency_key_is_retried_with_the_same_key(): void
    {
        ChaosProxy::failNext('POST', '/api/v1/contacts', 503);
        ChaosProxy::failNext('POST', '/api/v1/contacts', 504);
        $email = Env::unique('retry') . '@example.com';
        $contact = $this->client()->contacts->upsert(['email' => $email], ['idempotency_key' => 'my-key-' . $email]);

        self::assertSame($email, $contact['email']);
        $seen = ChaosProxy::requests('POST', '/api/v1/contacts');
        self::assertCount(3, $seen);
        self::assertSame(['my-key-' . $email], array_values(array_unique(array_map(static fn ($r) => $r['headers']['idempotency-key'], $seen))));
    }

    public function test_retries_are_bounded_by_max_retries(): void
    {
        ChaosProxy::failNext('GET', '/api/v1/me', 502);
        ChaosProxy::failNext('GET', '/api/v1/me', 502);
        $this->expectFailure(ServerException::class, fn () => $this->client(['max_retries' => 1])->account->get());
        self::assertCount(2, ChaosProxy::requests('GET', '/api/v1/me'));
    }

    public function test_a_retry_after_longer_than_max_retry_after_is_thrown_not_waited_for(): void
    {
        ChaosProxy::failNext('GET', '/api/v1/me', 429, ['Retry-After' => '120']);
        $started = microtime(true);
        $e = $this->expectFailure(RateLimitException::class, fn () => $this->client()->account->get());

        self::assertLessThan(5, microtime(true) - $started);
        self::assertSame(120.0, $e->getRetryAfter());
        self::assertSame(429, $e->getStatus());
        self::assertCount(1, ChaosProxy::requests('GET', '/api/v1/me'));
    }

    /**
     * @template T of PenguinMailsException
     * @param class-string<T> $class
     * @return T
     */
    private function expectFailure(string $class, callable $call): PenguinMailsException
    {
        try {
            $call();
        } catch (PenguinMailsException $e) {
            self::assertInstanceOf($class, $e, $e->getMessage());
            return $e;
        }
        self::fail("no $class was thrown");
    }

    /** @param array<string, mixed> $options */
    private function client(array $options = []): Client
    {
        return Env::proxied($options + ['on_retry' => $this->recorder()]);
    }

    private function recorder(): \Closure
    {
        return function (RetryEvent $e): void {
            $this->retries[] = $e;
        };
    }

    /** @return array{name: string, preset: string} */
    private static function newKey(): array
    {
        return ['name' => Env::unique('retry-key'), 'preset' => 'read_only'];
    }

    private static function closedPort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        self::assertNotFalse($socket);
        $port = (int) substr((string) stream_socket_get_name($socket, false), strrpos((string) stream_socket_get_name($socket, false), ':') + 1);
        fclose($socket);
        return $port;
    }
}
