<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Integration;

use PenguinMails\Exception\ValidationException;
use PenguinMails\Exception\WebhookVerificationException;
use PenguinMails\RetryEvent;
use PenguinMails\Tests\Support\ChaosProxy;
use PenguinMails\Tests\Support\Env;
use PenguinMails\Webhook;
use PHPUnit\Framework\TestCase;

/**
 * The shared scenarios of sdks/scenarios.json, one test each, named `test_<id>`, against the server that
 * sdks/run-tests.sh starts.
 */
final class ScenariosTest extends TestCase
{
    private const UUID_V4 = '/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/';

    public function test_send_email(): void
    {
        $to = Env::unique('send') . '@example.com';
        $email = Env::client()->emails->send([
            'from' => Env::get('PENGUINMAILS_SENDER'),
            'to' => $to,
            'subject' => 'Hello',
            'html_body' => '<h1>Hello World</h1>',
        ]);

        self::assertStringStartsWith('msg_', $email['id']);
        self::assertSame('queued', $email['status']);
        self::assertSame($to, $email['to']);
    }

    public function test_retry_after_dropped_connection_sends_once(): void
    {
        ChaosProxy::reset();
        ChaosProxy::dropNext('POST', '/api/v1/emails/send');
        $to = Env::unique('dropped') . '@example.com';
        $retries = [];

        $email = Env::proxied(['on_retry' => static function (RetryEvent $e) use (&$retries): void { $retries[] = $e; }])
            ->emails->send(['from' => Env::get('PENGUINMAILS_SENDER'), 'to' => $to, 'subject' => 'Once', 'text_body' => 'Only once.']);

        $seen = ChaosProxy::requests('POST', '/api/v1/emails/send');
        self::assertCount(2, $seen);
        self::assertSame(['dropped', 'forwarded'], array_column($seen, 'action'));
        $key = $seen[0]['headers']['idempotency-key'] ?? '';
        self::assertMatchesRegularExpression(self::UUID_V4, $key);
        self::assertSame($key, $seen[1]['headers']['idempotency-key'] ?? null);
        self::assertCount(1, $retries);
        self::assertNull($retries[0]->status);
        self::assertSame($key, $retries[0]->idempotencyKey);

        $listed = Env::client()->emails->list(['recipient' => $to]);
        self::assertCount(1, $listed->data);
        self::assertSame($email['id'], $listed->data[0]['id']);
    }

    public function test_rate_limited_429_waits_retry_after(): void
    {
        $key = Env::get('PENGUINMAILS_LIMITED_API_KEY');
        $me = Env::get('PENGUINMAILS_BASE_URL') . '/api/v1/me';
        // Exhaust the starter plan's burst (100) with plain HTTP until the server refuses.
        $status = 0;
        for ($i = 0; $i < 300 && $status !== 429; $i++) {
            $status = self::plainGet($me, $key);
        }
        self::assertSame(429, $status, 'the burst was never exhausted');

        $retries = [];
        $client = Env::client(['max_retries' => 3, 'on_retry' => static function (RetryEvent $e) use (&$retries): void { $retries[] = $e; }], $key);
        $started = microtime(true);
        $account = $client->account->get();
        $elapsed = microtime(true) - $started;

        self::assertNotEmpty($account['key_id']);
        self::assertNotEmpty($retries, 'the SDK call never got a 429');
        self::assertSame(429, $retries[0]->status);
        self::assertNotNull($retries[0]->retryAfter, 'the 429 had no Retry-After');
        self::assertGreaterThan(0, $retries[0]->retryAfter);
        self::assertSame($retries[0]->retryAfter, $retries[0]->delay);
        self::assertGreaterThanOrEqual(array_sum(array_map(static fn (RetryEvent $e) => $e->delay, $retries)), $elapsed);
        self::assertGreaterThanOrEqual($retries[0]->retryAfter, $elapsed);
    }

    public function test_validation_error_is_typed(): void
    {
        $retries = 0;
        $client = Env::client(['on_retry' => static function () use (&$retries): void { $retries++; }]);
        try {
            $client->emails->send(['from' => Env::get('PENGUINMAILS_SENDER'), 'subject' => 'No recipient', 'html_body' => '<p>x</p>']);
            self::fail('a send without to was accepted');
        } catch (ValidationException $e) {
            self::assertSame('VALIDATION_ERROR', $e->getCode());
            self::assertSame('VALIDATION_ERROR', $e->getErrorCode());
            self::assertNotSame('', $e->getMessage());
            self::assertContains($e->getStatus(), [400, 422]);
            self::assertStringStartsWith('req_', (string) $e->getRequestId());
            self::assertContains('to', array_column($e->getDetails(), 'field'));
            self::assertSame(0, $retries);
        }
    }

    public function test_auto_paging_250_contacts(): void
    {
        $tag = Env::unique('paging');
        $contacts = [];
        for ($i = 0; $i < 250; $i++) {
            $contacts[] = ['email' => sprintf('%s-%03d@example.com', $tag, $i), 'first_name' => "Contact $i", 'tags' => [$tag]];
        }
        $client = Env::client();
        $report = $client->contacts->bulkImport($contacts);
        self::assertSame(250, $report['created']);
        self::assertSame(0, $report['failed']);

        ChaosProxy::reset();
        $ids = [];
        foreach (Env::proxied()->contacts->listAll(['tag' => $tag, 'limit' => 100]) as $contact) {
            self::assertContains($tag, $contact['tags']);
            $ids[] = $contact['id'];
        }

        self::assertCount(250, $ids);
        self::assertCount(250, array_unique($ids));
        $pages = ChaosProxy::requests('GET', '/api/v1/contacts');
        self::assertCount(3, $pages);
        self::assertStringNotContainsString('cursor=', $pages[0]['query']);
        self::assertStringContainsString('cursor=', $pages[1]['query']);
        self::assertStringContainsString('limit=100', $pages[2]['query']);
    }

    public function test_verify_webhook_signature(): void
    {
        $vector = json_decode((string) file_get_contents(Env::get('PENGUINMAILS_WEBHOOK_VECTOR')), true, 512, JSON_THROW_ON_ERROR);

        $event = Webhook::verify($vector['payload'], $vector['headers'], $vector['secret']);
        self::assertSame($vector['id'], $event['id']);
        self::assertSame('dörte@example.com', $event['data']['to']);

        $changed = str_replace('email.delivered', 'email.bounced', $vector['payload']);
        self::assertRefused(static fn () => Webhook::verify($changed, $vector['headers'], $vector['secret']));
        $wrongSecret = 'whsec_' . base64_encode(random_bytes(32));
        self::assertRefused(static fn () => Webhook::verify($vector['payload'], $vector['headers'], $wrongSecret));
        $stale = ['webhook-timestamp' => $vector['stale']['timestamp'], 'webhook-signature' => $vector['stale']['signature']] + $vector['headers'];
        self::assertRefused(static fn () => Webhook::verify($vector['payload'], $stale, $vector['secret']), 'too old');
    }

    public function test_every_scenario_has_a_test(): void
    {
        $file = getenv('PENGUINMAILS_SCENARIOS') ?: __DIR__ . '/../../../scenarios.json';
        self::assertFileExists($file);
        $ids = array_column(json_decode((string) file_get_contents($file), true, 512, JSON_THROW_ON_ERROR)['scenarios'], 'id');
        self::assertNotEmpty($ids);
        $missing = array_values(array_filter($ids, static fn (string $id): bool => !method_exists(self::class, 'test_' . $id)));
        self::assertSame([], $missing, 'scenarios.json lists scenarios this suite has no test_<id> for');
    }

    private static function assertRefused(callable $verify, string $why = ''): void
    {
        try {
            $verify();
            self::fail('the webhook was accepted');
        } catch (WebhookVerificationException $e) {
            self::assertStringContainsString($why, $e->getMessage());
        }
    }

    private static function plainGet(string $url, string $key): int
    {
        $context = stream_context_create(['http' => ['header' => "Authorization: Bearer $key\r\n", 'ignore_errors' => true]]);
        file_get_contents($url, false, $context);
        /** @var list<string> $http_response_header */
        return (int) explode(' ', $http_response_header[0])[1];
    }
}
