<?php

declare(strict_types=1);

namespace PenguinMails;

use PenguinMails\Internal\CurlTransport;
use PenguinMails\Internal\Requester;
use PenguinMails\Resources\Account;
use PenguinMails\Resources\Analytics;
use PenguinMails\Resources\ApiKeys;
use PenguinMails\Resources\AuditLog;
use PenguinMails\Resources\Campaigns;
use PenguinMails\Resources\Contacts;
use PenguinMails\Resources\Domains;
use PenguinMails\Resources\Emails;
use PenguinMails\Resources\Esp;
use PenguinMails\Resources\Suppressions;
use PenguinMails\Resources\Templates;
use PenguinMails\Resources\Usage;
use PenguinMails\Resources\Webhooks;

/**
 * The PenguinMails API client: `$client->emails->send([...])`, one property per resource of sdks/operations.json.
 *
 * ```php
 * $client = new PenguinMails\Client('pm_live_...', ['base_url' => 'https://mail.example.com']);
 * $email = $client->emails->send(['to' => 'user@example.com', 'subject' => 'Hello', 'html_body' => '<h1>Hello World</h1>']);
 * ```
 *
 * The key is sent as `Authorization: Bearer <key>` and nowhere else: not in exception messages, not in
 * var_dump/print_r/var_export output, and the client cannot be serialized.
 *
 * @phpstan-type ClientOptions array{
 *     base_url?: string,
 *     max_retries?: int,
 *     initial_delay?: float,
 *     max_delay?: float,
 *     max_retry_after?: float,
 *     timeout?: float,
 *     connect_timeout?: float,
 *     on_retry?: callable(RetryEvent): void,
 * }
 */
final class Client
{
    public const VERSION = '1.0.0';
    public const DEFAULT_BASE_URL = 'http://localhost:5080';

    public readonly Account $account;
    public readonly ApiKeys $apiKeys;
    public readonly AuditLog $auditLog;
    public readonly Contacts $contacts;
    public readonly Emails $emails;
    public readonly Campaigns $campaigns;
    public readonly Analytics $analytics;
    public readonly Usage $usage;
    public readonly Templates $templates;
    public readonly Suppressions $suppressions;
    public readonly Esp $esp;
    public readonly Domains $domains;
    public readonly Webhooks $webhooks;

    private readonly string $baseUrl;
    private readonly RetryPolicy $retryPolicy;
    private readonly string $keyHint;

    /**
     * @param ?string $apiKey `pm_live_…` or `pm_test_…`; null reads the `PENGUINMAILS_API_KEY` environment variable
     * @param array{
     *     base_url?: string,
     *     max_retries?: int,
     *     initial_delay?: float,
     *     max_delay?: float,
     *     max_retry_after?: float,
     *     timeout?: float,
     *     connect_timeout?: float,
     *     on_retry?: callable(RetryEvent): void,
     * } $options base_url (default http://localhost:5080), max_retries (2), initial_delay (0.5 s), max_delay (30 s),
     *   max_retry_after (60 s: a longer Retry-After is thrown, not waited for), timeout (60 s per attempt),
     *   connect_timeout (10 s), on_retry (called before each retry's wait)
     * @throws \InvalidArgumentException for a missing key or an unknown or invalid option
     */
    public function __construct(#[\SensitiveParameter] ?string $apiKey = null, array $options = [])
    {
        $apiKey ??= getenv('PENGUINMAILS_API_KEY') ?: null;
        if ($apiKey === null || trim($apiKey) === '') {
            throw new \InvalidArgumentException('An API key is required: new PenguinMails\Client(\'pm_live_...\') or the PENGUINMAILS_API_KEY environment variable.');
        }
        if (preg_match('/^[\x21-\x7e]+$/', $apiKey) !== 1) {
            throw new \InvalidArgumentException('The API key holds spaces or control characters: check how it was copied.');
        }
        $unknown = array_diff(array_keys($options), ['base_url', 'max_retries', 'initial_delay', 'max_delay', 'max_retry_after', 'timeout', 'connect_timeout', 'on_retry']);
        if ($unknown !== []) {
            throw new \InvalidArgumentException('Unknown client option(s): ' . implode(', ', $unknown) . ' (options are snake_case, e.g. base_url, max_retries).');
        }
        $baseUrl = rtrim((string) ($options['base_url'] ?? self::DEFAULT_BASE_URL), '/');
        if (!preg_match('#^https?://[^/?\#]+(/[^?\#]*)?$#i', $baseUrl)) {
            throw new \InvalidArgumentException('base_url must be an http:// or https:// URL without query, e.g. https://mail.example.com.');
        }
        $this->baseUrl = $baseUrl;
        $this->retryPolicy = new RetryPolicy(
            (int) ($options['max_retries'] ?? 2),
            (float) ($options['initial_delay'] ?? 0.5),
            (float) ($options['max_delay'] ?? 30.0),
            (float) ($options['max_retry_after'] ?? 60.0),
        );
        $onRetry = $options['on_retry'] ?? null;
        if ($onRetry !== null && !is_callable($onRetry)) {
            throw new \InvalidArgumentException('on_retry must be callable.');
        }
        // Only the kind of key is kept for display; the key itself lives in this closure alone.
        $this->keyHint = preg_match('/^(pm_(?:live|test)_)/', $apiKey, $m) === 1 ? $m[1] . '…' : '…';
        $authorization = static fn (): string => 'Bearer ' . $apiKey;

        $transport = new CurlTransport(
            $authorization,
            (float) ($options['timeout'] ?? 60.0),
            (float) ($options['connect_timeout'] ?? 10.0),
            'penguinmails-php/' . self::VERSION . ' PHP/' . PHP_VERSION,
        );
        $requester = new Requester($transport, $baseUrl, $this->retryPolicy, $onRetry === null ? null : \Closure::fromCallable($onRetry));

        $this->account = new Account($requester);
        $this->apiKeys = new ApiKeys($requester);
        $this->auditLog = new AuditLog($requester);
        $this->contacts = new Contacts($requester);
        $this->emails = new Emails($requester);
        $this->campaigns = new Campaigns($requester);
        $this->analytics = new Analytics($requester);
        $this->usage = new Usage($requester);
        $this->templates = new Templates($requester);
        $this->suppressions = new Suppressions($requester);
        $this->esp = new Esp($requester);
        $this->domains = new Domains($requester);
        $this->webhooks = new Webhooks($requester);
    }

    public function baseUrl(): string
    {
        return $this->baseUrl;
    }

    public function retryPolicy(): RetryPolicy
    {
        return $this->retryPolicy;
    }

    /** @return array<string, mixed> what var_dump/print_r show: never the key */
    public function __debugInfo(): array
    {
        return ['apiKey' => $this->keyHint . '(hidden)', 'baseUrl' => $this->baseUrl, 'retryPolicy' => $this->retryPolicy];
    }

    /** A client holds a secret: it is never written to sessions, caches or logs through serialize(). */
    public function __serialize(): array
    {
        throw new \LogicException('A PenguinMails\Client cannot be serialized (it holds the API key): create one where it is needed.');
    }

    /** @param array<string, mixed> $data */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('A PenguinMails\Client cannot be unserialized.');
    }
}
