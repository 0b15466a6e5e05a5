<?php

declare(strict_types=1);

namespace PenguinMails;

use PenguinMails\Exception\WebhookVerificationException;

/**
 * Verifies the webhooks PenguinMails sends (Standard Webhooks, https://www.standardwebhooks.com): the
 * `webhook-signature` header holds space-separated `v1,<base64>` signatures, each an HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<raw body>` keyed with the base64-decoded part of the endpoint's `whsec_…`
 * secret. During a secret rotation both secrets sign, so any one matching is enough.
 *
 * ```php
 * $event = PenguinMails\Webhook::verify(file_get_contents('php://input'), getallheaders(), $secret);
 * ```
 */
final class Webhook
{
    public const DEFAULT_TOLERANCE = 300;

    /**
     * Checks the signature and the timestamp, then gives the parsed event.
     *
     * @param string $payload the raw request body, byte for byte (not re-encoded JSON)
     * @param array<string, string|list<string>> $headers the request headers, any case; PSR-7 getHeaders(),
     *   getallheaders() or $_SERVER (`HTTP_WEBHOOK_ID` …) all work
     * @param string $secret the endpoint's signing secret, `whsec_<base64>`
     * @param int $tolerance seconds the timestamp may differ from now (default 5 minutes: replays are refused)
     * @param ?int $now Unix time to compare with (default: now)
     * @return array<string, mixed> the event, e.g. `{type, timestamp, data}`
     * @throws WebhookVerificationException when a header is missing, the timestamp is out of tolerance or no signature matches
     */
    public static function verify(
        string $payload,
        array $headers,
        #[\SensitiveParameter] string $secret,
        int $tolerance = self::DEFAULT_TOLERANCE,
        ?int $now = null,
    ): array {
        $headers = self::normalize($headers);
        $id = $headers['webhook-id'] ?? '';
        $timestamp = $headers['webhook-timestamp'] ?? '';
        $signatures = $headers['webhook-signature'] ?? '';
        if ($id === '' || $timestamp === '' || $signatures === '') {
            throw new WebhookVerificationException('Missing webhook-id, webhook-timestamp or webhook-signature header.');
        }
        if (preg_match('/^\d{1,15}$/', $timestamp) !== 1) {
            throw new WebhookVerificationException('The webhook-timestamp header is not a Unix time in seconds.');
        }
        $now ??= time();
        if (abs($now - (int) $timestamp) > $tolerance) {
            throw new WebhookVerificationException((int) $timestamp < $now
                ? 'The webhook timestamp is too old (more than ' . $tolerance . ' s): a replay, or a clock far off.'
                : 'The webhook timestamp is in the future (more than ' . $tolerance . ' s ahead).');
        }
        $expected = base64_encode(hash_hmac('sha256', $id . '.' . $timestamp . '.' . $payload, self::key($secret), true));
        $matched = false;
        foreach (preg_split('/\s+/', trim($signatures)) ?: [] as $candidate) {
            [$version, $signature] = array_pad(explode(',', $candidate, 2), 2, '');
            // hash_equals on every candidate: the time taken tells nothing about which one (if any) matched.
            $matched = ($version === 'v1' && hash_equals($expected, $signature)) || $matched;
        }
        if (!$matched) {
            throw new WebhookVerificationException('No webhook signature matches: wrong secret, or the body was changed.');
        }
        try {
            $event = json_decode($payload, true, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING);
        } catch (\JsonException) {
            throw new WebhookVerificationException('The webhook body is signed but is not JSON.');
        }
        if (!is_array($event)) {
            throw new WebhookVerificationException('The webhook body is signed but is not a JSON object.');
        }
        return $event;
    }

    private static function key(#[\SensitiveParameter] string $secret): string
    {
        $encoded = str_starts_with($secret, 'whsec_') ? substr($secret, 6) : $secret;
        $key = base64_decode($encoded, true);
        if ($key === false || $key === '') {
            throw new WebhookVerificationException('The webhook secret is not a whsec_… secret (its part after whsec_ must be base64).');
        }
        return $key;
    }

    /**
     * @param array<string, string|list<string>> $headers
     * @return array<string, string> lower-case names
     */
    private static function normalize(array $headers): array
    {
        $out = [];
        foreach ($headers as $name => $value) {
            $name = strtolower((string) $name);
            if (str_starts_with($name, 'http_')) {
                $name = str_replace('_', '-', substr($name, 5));
            }
            $out[$name] = is_array($value) ? implode(' ', array_map('strval', $value)) : (string) $value;
        }
        return $out;
    }
}
