<?php

declare(strict_types=1);

namespace PenguinMails\Tests\Unit;

use PenguinMails\Exception\WebhookVerificationException;
use PenguinMails\Webhook;
use PHPUnit\Framework\TestCase;

/** Webhook::verify against signatures made here (the reference library's vector is the scenario test). */
final class WebhookTest extends TestCase
{
    private const NOW = 1_796_000_000;

    private string $secret;
    private string $payload = '{"id":"evt_1","type":"email.sent","data":{"email_id":"msg_1"}}';

    protected function setUp(): void
    {
        $this->secret = 'whsec_' . base64_encode(random_bytes(32));
    }

    public function test_a_valid_signature_gives_the_event(): void
    {
        $event = Webhook::verify($this->payload, $this->headers(), $this->secret, now: self::NOW);
        self::assertSame(['id' => 'evt_1', 'type' => 'email.sent', 'data' => ['email_id' => 'msg_1']], $event);
    }

    public function test_headers_in_any_case_psr7_lists_or_server_variables(): void
    {
        $h = $this->headers();
        $upper = ['Webhook-Id' => $h['webhook-id'], 'WEBHOOK-TIMESTAMP' => $h['webhook-timestamp'], 'Webhook-Signature' => $h['webhook-signature']];
        $psr7 = array_map(static fn (string $v): array => [$v], $h);
        $server = ['HTTP_WEBHOOK_ID' => $h['webhook-id'], 'HTTP_WEBHOOK_TIMESTAMP' => $h['webhook-timestamp'], 'HTTP_WEBHOOK_SIGNATURE' => $h['webhook-signature']];
        foreach ([$upper, $psr7, $server] as $headers) {
            self::assertSame('evt_1', Webhook::verify($this->payload, $headers, $this->secret, now: self::NOW)['id']);
        }
    }

    public function test_any_one_of_several_signatures_may_match(): void
    {
        $h = $this->headers();
        $other = 'v1,' . base64_encode(random_bytes(32));
        $h['webhook-signature'] = "v2,abc $other " . $h['webhook-signature'];
        self::assertSame('evt_1', Webhook::verify($this->payload, $h, $this->secret, now: self::NOW)['id']);
    }

    public function test_the_timestamp_tolerance_is_five_minutes_by_default_and_configurable(): void
    {
        $h = $this->headers(self::NOW - 299);
        self::assertSame('evt_1', Webhook::verify($this->payload, $h, $this->secret, now: self::NOW)['id']);
        $this->assertRefused($this->payload, $this->headers(self::NOW - 301), $this->secret, 'too old');
        $this->assertRefused($this->payload, $this->headers(self::NOW + 301), $this->secret, 'future');
        self::assertSame('evt_1', Webhook::verify($this->payload, $this->headers(self::NOW - 3000), $this->secret, 3600, self::NOW)['id']);
    }

    public function test_refusals(): void
    {
        $h = $this->headers();
        $this->assertRefused($this->payload . ' ', $h, $this->secret, 'No webhook signature matches');
        $this->assertRefused($this->payload, ['webhook-signature' => str_replace('v1,', 'v2,', $h['webhook-signature'])] + $h, $this->secret, 'No webhook signature matches');
        $this->assertRefused($this->payload, array_diff_key($h, ['webhook-id' => 1]), $this->secret, 'Missing');
        $this->assertRefused($this->payload, ['webhook-timestamp' => '17e8'] + $h, $this->secret, 'Unix time');
        $this->assertRefused($this->payload, $h, 'whsec_not*base64', 'not a whsec_');
        $notJson = 'plain text';
        $this->assertRefused($notJson, $this->headers(self::NOW, $notJson), $this->secret, 'not JSON');
    }

    public function test_the_secret_never_appears_in_the_error(): void
    {
        try {
            Webhook::verify($this->payload . 'x', $this->headers(), $this->secret, now: self::NOW);
            self::fail('accepted');
        } catch (WebhookVerificationException $e) {
            self::assertStringNotContainsString(substr($this->secret, 6), (string) $e);
        }
    }

    /** @return array<string, string> */
    private function headers(int $timestamp = self::NOW, ?string $payload = null): array
    {
        $key = base64_decode(substr($this->secret, 6), true);
        $signature = base64_encode(hash_hmac('sha256', "evt_1.$timestamp." . ($payload ?? $this->payload), (string) $key, true));
        return ['webhook-id' => 'evt_1', 'webhook-timestamp' => (string) $timestamp, 'webhook-signature' => "v1,$signature"];
    }

    /** @param array<string, string> $headers */
    private function assertRefused(string $payload, array $headers, string $secret, string $why): void
    {
        try {
            Webhook::verify($payload, $headers, $secret, now: self::NOW);
            self::fail("accepted; expected: $why");
        } catch (WebhookVerificationException $e) {
            self::assertStringContainsString($why, $e->getMessage());
        }
    }
}
