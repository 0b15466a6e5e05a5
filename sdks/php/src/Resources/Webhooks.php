<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * Webhook endpoints, their secrets and delivery log: `$client->webhooks`.
 */
final class Webhooks extends Resource
{
    /**
     * List webhook endpoints.
     *
     * GET /api/v1/webhooks (`listWebhooks`). Requires the `webhooks:read` permission.
     * One page; see listAll() to iterate every item.
     *
     * @param array{limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     url: string,
     *     description: string,
     *     events: list<mixed>,
     *     environment: string,
     *     enabled: bool,
     *     disabled_reason: string,
     *     headers: array<string, mixed>,
     *     previous_secret_expires_at: string|null,
     *     failing_since: string|null,
     *     created_at: string,
     *     updated_at: string,
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/webhooks', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     url: string,
     *     description: string,
     *     events: list<mixed>,
     *     environment: string,
     *     enabled: bool,
     *     disabled_reason: string,
     *     headers: array<string, mixed>,
     *     previous_secret_expires_at: string|null,
     *     failing_since: string|null,
     *     created_at: string,
     *     updated_at: string,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/webhooks', $params);
    }

    /**
     * Create a webhook endpoint (its signing secret is returned only here).
     *
     * POST /api/v1/webhooks (`createWebhook`). Requires the `webhooks:write` permission.
     * The answer carries a secret that is shown only once: keep it. Not retried once the request may have reached the server.
     *
     * @param array{
     *     url: string,
     *     description?: string|null,
     *     events?: list<mixed>|null,
     *     environment?: string|null,
     *     enabled?: bool|null,
     *     headers?: array<string, mixed>|null,
     * } $body
     * @return array{
     *     webhook: array{id: string, url: string, description: string, events: list<mixed>, environment: string, enabled: bool, disabled_reason: string, headers: array<string, mixed>, previous_secret_expires_at: string|null, failing_since: string|null, created_at: string, updated_at: string},
     *     secret: string,
     *     warning: string,
     * }
     * @throws PenguinMailsException
     */
    public function create(array $body): array
    {
        return $this->requester->json('POST', '/api/v1/webhooks', body: $body, returnsSecret: true);
    }

    /**
     * List the event types an endpoint can subscribe to.
     *
     * GET /api/v1/webhooks/event-types (`listWebhookEventTypes`). Requires the `webhooks:read` permission.
     *
     * @return list<array{type: string, description: string}>
     * @throws PenguinMailsException
     */
    public function listEventTypes(): array
    {
        return $this->requester->json('GET', '/api/v1/webhooks/event-types');
    }

    /**
     * Get a webhook endpoint.
     *
     * GET /api/v1/webhooks/{id} (`getWebhook`). Requires the `webhooks:read` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     url: string,
     *     description: string,
     *     events: list<mixed>,
     *     environment: string,
     *     enabled: bool,
     *     disabled_reason: string,
     *     headers: array<string, mixed>,
     *     previous_secret_expires_at: string|null,
     *     failing_since: string|null,
     *     created_at: string,
     *     updated_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function get(string $id): array
    {
        return $this->requester->json('GET', self::path('/api/v1/webhooks/{id}', $id));
    }

    /**
     * Change an endpoint's URL, events, environment, description, headers or enabled state.
     *
     * PATCH /api/v1/webhooks/{id} (`updateWebhook`). Requires the `webhooks:write` permission.
     *
     * @param string $id
     * @param array{
     *     url?: string|null,
     *     description?: string|null,
     *     events?: list<mixed>|null,
     *     environment?: string|null,
     *     enabled?: bool|null,
     *     headers?: array<string, mixed>|null,
     * } $body
     * @return array{
     *     id: string,
     *     url: string,
     *     description: string,
     *     events: list<mixed>,
     *     environment: string,
     *     enabled: bool,
     *     disabled_reason: string,
     *     headers: array<string, mixed>,
     *     previous_secret_expires_at: string|null,
     *     failing_since: string|null,
     *     created_at: string,
     *     updated_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function update(string $id, array $body): array
    {
        return $this->requester->json('PATCH', self::path('/api/v1/webhooks/{id}', $id), body: $body);
    }

    /**
     * Delete a webhook endpoint.
     *
     * DELETE /api/v1/webhooks/{id} (`deleteWebhook`). Requires the `webhooks:write` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     url: string,
     *     description: string,
     *     events: list<mixed>,
     *     environment: string,
     *     enabled: bool,
     *     disabled_reason: string,
     *     headers: array<string, mixed>,
     *     previous_secret_expires_at: string|null,
     *     failing_since: string|null,
     *     created_at: string,
     *     updated_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function delete(string $id): array
    {
        return $this->requester->json('DELETE', self::path('/api/v1/webhooks/{id}', $id));
    }

    /**
     * New signing secret; the old one also signs for 24 hours.
     *
     * POST /api/v1/webhooks/{id}/rotate-secret (`rotateWebhookSecret`). Requires the `webhooks:write` permission.
     * The answer carries a secret that is shown only once: keep it. Not retried once the request may have reached the server.
     *
     * @param string $id
     * @return array{
     *     webhook: array{id: string, url: string, description: string, events: list<mixed>, environment: string, enabled: bool, disabled_reason: string, headers: array<string, mixed>, previous_secret_expires_at: string|null, failing_since: string|null, created_at: string, updated_at: string},
     *     secret: string,
     *     warning: string,
     * }
     * @throws PenguinMailsException
     */
    public function rotateSecret(string $id): array
    {
        return $this->requester->json('POST', self::path('/api/v1/webhooks/{id}/rotate-secret', $id), returnsSecret: true);
    }

    /**
     * Send a webhook.test event to the endpoint.
     *
     * POST /api/v1/webhooks/{id}/test (`sendWebhookTest`). Requires the `webhooks:write` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     endpoint_id: string,
     *     event_id: string,
     *     event_type: string,
     *     status: string,
     *     attempts: int,
     *     status_code: int|null,
     *     latency_ms: int|null,
     *     response_excerpt: string,
     *     error: string,
     *     created_at: string,
     *     last_attempt_at: string|null,
     *     next_retry_at: string|null,
     *     completed_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function sendTest(string $id): array
    {
        return $this->requester->json('POST', self::path('/api/v1/webhooks/{id}/test', $id));
    }

    /**
     * The endpoint's delivery log, newest first.
     *
     * GET /api/v1/webhooks/{id}/deliveries (`listWebhookDeliveries`). Requires the `webhooks:read` permission.
     * One page; see listDeliveriesAll() to iterate every item.
     *
     * @param string $id
     * @param array{status?: string, event_type?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     endpoint_id: string,
     *     event_id: string,
     *     event_type: string,
     *     status: string,
     *     attempts: int,
     *     status_code: int|null,
     *     latency_ms: int|null,
     *     response_excerpt: string,
     *     error: string,
     *     created_at: string,
     *     last_attempt_at: string|null,
     *     next_retry_at: string|null,
     *     completed_at: string|null,
     * }>
     * @throws PenguinMailsException
     */
    public function listDeliveries(string $id, array $params = []): Page
    {
        return $this->requester->page(self::path('/api/v1/webhooks/{id}/deliveries', $id), $params);
    }

    /**
     * Every item of listDeliveries(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param string $id
     * @param array{status?: string, event_type?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     endpoint_id: string,
     *     event_id: string,
     *     event_type: string,
     *     status: string,
     *     attempts: int,
     *     status_code: int|null,
     *     latency_ms: int|null,
     *     response_excerpt: string,
     *     error: string,
     *     created_at: string,
     *     last_attempt_at: string|null,
     *     next_retry_at: string|null,
     *     completed_at: string|null,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listDeliveriesAll(string $id, array $params = []): \Generator
    {
        return $this->requester->all(self::path('/api/v1/webhooks/{id}/deliveries', $id), $params);
    }

    /**
     * Send again every failed delivery created in [from, to).
     *
     * POST /api/v1/webhooks/{id}/replay (`replayFailedWebhookDeliveries`). Requires the `webhooks:write` permission.
     *
     * @param string $id
     * @param array{
     *     from: string,
     *     to: string,
     * } $body
     * @return array{
     *     replayed: int,
     *     deliveries: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function replayFailed(string $id, array $body): array
    {
        return $this->requester->json('POST', self::path('/api/v1/webhooks/{id}/replay', $id), body: $body);
    }

    /**
     * Send one delivery's event again (same webhook-id).
     *
     * POST /api/v1/webhooks/deliveries/{id}/replay (`replayWebhookDelivery`). Requires the `webhooks:write` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     endpoint_id: string,
     *     event_id: string,
     *     event_type: string,
     *     status: string,
     *     attempts: int,
     *     status_code: int|null,
     *     latency_ms: int|null,
     *     response_excerpt: string,
     *     error: string,
     *     created_at: string,
     *     last_attempt_at: string|null,
     *     next_retry_at: string|null,
     *     completed_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function replayDelivery(string $id): array
    {
        return $this->requester->json('POST', self::path('/api/v1/webhooks/deliveries/{id}/replay', $id));
    }
}
