<?php

declare(strict_types=1);

namespace PenguinMails\Internal;

use PenguinMails\Exception\ConnectionException;
use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;
use PenguinMails\Pagination;
use PenguinMails\RetryEvent;
use PenguinMails\RetryPolicy;

/**
 * @internal Makes one API call: builds the URL, sends it with retries (the SDK contract's rules), reads the
 * envelope `{"success", "data", "meta"}` and turns error envelopes into typed exceptions.
 *
 * Retry rules: 429, and 503 with Retry-After, are refusals (the server did nothing) and are retried for every
 * operation, as is a connection that never opened. 502/503/504, other connection failures and 409
 * IDEMPOTENCY_KEY_IN_FLIGHT are retried only when a repeat is harmless: GET/PUT/PATCH/DELETE, or a POST that
 * carries an Idempotency-Key — never an operation whose answer carries a secret (the server keeps no copy of
 * it to replay).
 */
final class Requester
{
    /** @param ?\Closure(RetryEvent): void $onRetry */
    public function __construct(
        private readonly CurlTransport $transport,
        private readonly string $baseUrl,
        private readonly RetryPolicy $retry,
        private readonly ?\Closure $onRetry = null,
    ) {
    }

    /**
     * Calls a JSON operation and gives the envelope's `data`.
     *
     * @param array<string, mixed> $query
     * @param array{idempotency_key?: string} $options
     * @param bool $idempotent the operation takes an Idempotency-Key (one is made per call unless given)
     * @param bool $returnsSecret the answer carries a secret: retried only when the server surely did nothing
     * @param ?string $rawBody a body already encoded (with $contentType), instead of $body as JSON
     */
    public function json(
        string $method,
        string $path,
        array $query = [],
        mixed $body = null,
        array $options = [],
        bool $idempotent = false,
        bool $returnsSecret = false,
        ?string $rawBody = null,
        string $contentType = 'application/json',
    ): mixed {
        return $this->envelope($this->send($method, $path, $query, $body, $options, $idempotent, $returnsSecret, $rawBody, $contentType))['data'] ?? null;
    }

    /** @param array<string, mixed> $query */
    public function csv(string $path, array $query = []): string
    {
        return $this->send('GET', $path, $query, null, [], false, false, null, 'application/json', 'text/csv')->body;
    }

    /**
     * @param array<string, mixed> $query
     * @return Page<array<string, mixed>>
     */
    public function page(string $path, array $query = []): Page
    {
        $envelope = $this->envelope($this->send('GET', $path, $query, null, [], false, false, null, 'application/json'));
        $data = is_array($envelope['data'] ?? null) ? array_values($envelope['data']) : [];
        $meta = is_array($envelope['meta'] ?? null) ? $envelope['meta'] : [];
        $pagination = is_array($meta['pagination'] ?? null) ? $meta['pagination'] : null;
        return new Page($data, Pagination::fromWire($pagination, count($data)), isset($meta['request_id']) ? (string) $meta['request_id'] : null);
    }

    /**
     * Every item of a cursor list, page after page, following `next_cursor` while `has_more`.
     *
     * @param array<string, mixed> $query
     * @return \Generator<int, array<string, mixed>, mixed, void>
     */
    public function all(string $path, array $query = []): \Generator
    {
        while (true) {
            $page = $this->page($path, $query);
            yield from $page->data;
            if (!$page->pagination->hasMore || $page->pagination->nextCursor === null) {
                return;
            }
            $query['cursor'] = $page->pagination->nextCursor;
        }
    }

    /**
     * @param array<string, mixed> $query
     * @param array{idempotency_key?: string} $options
     */
    private function send(
        string $method,
        string $path,
        array $query,
        mixed $body,
        array $options,
        bool $idempotent,
        bool $returnsSecret,
        ?string $rawBody,
        string $contentType,
        string $accept = 'application/json',
    ): RawResponse {
        $url = $this->baseUrl . $path . Query::build($query);
        $headers = ['Accept' => $accept];
        $payload = $rawBody ?? ($body === null ? null : Json::encodeBody($body));
        if ($payload !== null) {
            $headers['Content-Type'] = $contentType;
        }
        $key = null;
        if ($idempotent) {
            $key = (string) ($options['idempotency_key'] ?? Uuid::v4());
            if (preg_match('/^[\x20-\x7e]{1,255}$/', $key) !== 1) {
                throw new \InvalidArgumentException('idempotency_key must be 1 to 255 printable ASCII characters.');
            }
            $headers['Idempotency-Key'] = $key;
        }
        // Safe to repeat even if the first attempt reached the server.
        $repeatable = !$returnsSecret && ($method !== 'POST' || $key !== null);

        for ($attempt = 0; ; $attempt++) {
            try {
                $response = $this->transport->send($method, $url, $headers, $payload, fresh: !$repeatable);
            } catch (TransportFailure $failure) {
                $delay = ($failure->neverConnected || $repeatable) && $attempt < $this->retry->maxRetries
                    ? $this->retry->delay($attempt, null) : null;
                if ($delay === null) {
                    throw new ConnectionException($failure->getMessage(), $failure->neverConnected, $failure);
                }
                $this->pause(new RetryEvent($method, $path, $attempt + 1, null, $delay, null, $failure->getMessage(), null, $key));
                continue;
            }
            if ($response->status < 400) {
                return $response;
            }
            $error = Errors::fromResponse($response);
            $retryAfter = RetryPolicy::parseRetryAfter($response->header('Retry-After'));
            $refused = $response->status === 429 || ($response->status === 503 && $retryAfter !== null);
            $transient = in_array($response->status, [502, 503, 504], true)
                || ($response->status === 409 && $key !== null && $error->getErrorCode() === 'IDEMPOTENCY_KEY_IN_FLIGHT');
            $delay = ($refused || ($repeatable && $transient)) && $attempt < $this->retry->maxRetries
                ? $this->retry->delay($attempt, $retryAfter) : null;
            if ($delay === null) {
                throw $error;
            }
            $this->pause(new RetryEvent($method, $path, $attempt + 1, $response->status, $delay, $retryAfter,
                'HTTP ' . $response->status . ' ' . $error->getErrorCode(), $error->getRequestId(), $key));
        }
    }

    private function pause(RetryEvent $event): void
    {
        if ($this->onRetry !== null) {
            ($this->onRetry)($event);
        }
        if ($event->delay > 0) {
            usleep((int) round($event->delay * 1_000_000));
        }
    }

    /** @return array{success?: bool, data?: mixed, meta?: array<string, mixed>} */
    private function envelope(RawResponse $response): array
    {
        if ($response->status === 204 || $response->body === '') {
            return [];
        }
        try {
            $decoded = Json::decode($response->body);
        } catch (\JsonException $e) {
            throw new PenguinMailsException('The server answered HTTP ' . $response->status . ' with a body that is not JSON.',
                'INVALID_RESPONSE', [], $response->status, $response->header('X-Request-Id'), null, $e);
        }
        return is_array($decoded) ? $decoded : [];
    }

    /** @return array<string, mixed> */
    public function __debugInfo(): array
    {
        return ['baseUrl' => $this->baseUrl, 'retry' => $this->retry];
    }
}
