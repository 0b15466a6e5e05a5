<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * Transactional email: send, batch, cancel, look up: `$client->emails`.
 */
final class Emails extends Resource
{
    /**
     * Send an email (answered once it is stored; delivered in the background).
     *
     * POST /api/v1/emails/send (`sendEmail`). Requires the `emails:send` permission.
     *
     * @param array{
     *     to?: string|list<string>|null,
     *     from?: string|null,
     *     cc?: string|list<string>|null,
     *     bcc?: string|list<string>|null,
     *     reply_to?: string|list<string>|null,
     *     subject?: string|null,
     *     html_body?: string|null,
     *     text_body?: string|null,
     *     template_id?: string|null,
     *     variables?: array<string, mixed>|null,
     *     track_opens?: bool|null,
     *     track_clicks?: bool|null,
     *     tags?: list<mixed>|null,
     *     headers?: array<string, mixed>|null,
     *     metadata?: array<string, mixed>|null,
     *     scheduled_at?: string|null,
     *     attachments?: list<array<string, mixed>>|null,
     * } $body
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     status: string,
     *     to: string|list<string>,
     *     created_at: string,
     *     scheduled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function send(array $body, array $options = []): array
    {
        return $this->requester->json('POST', '/api/v1/emails/send', body: $body, options: $options, idempotent: true);
    }

    /**
     * Send up to 500 emails; a result per item.
     *
     * POST /api/v1/emails/batch (`sendEmailBatch`). Requires the `emails:send_bulk` permission.
     *
     * @param array{
     *     emails?: list<array<string, mixed>>|null,
     * } $body
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     accepted: int,
     *     rejected: int,
     *     results: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function sendBatch(array $body, array $options = []): array
    {
        return $this->requester->json('POST', '/api/v1/emails/batch', body: $body, options: $options, idempotent: true);
    }

    /**
     * Cancel a queued, scheduled or deferred email.
     *
     * POST /api/v1/emails/{id}/cancel (`cancelEmail`). Requires the `emails:send` permission.
     *
     * @param string $id
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     status: string,
     *     from: string,
     *     recipients: list<array<string, mixed>>,
     *     reply_to: list<mixed>,
     *     subject: string,
     *     template_id: string,
     *     tags: list<mixed>,
     *     metadata: array<string, mixed>,
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     created_at: string,
     *     scheduled_at: string|null,
     *     sent_at: string|null,
     *     next_attempt_at: string|null,
     *     attempts: int,
     *     last_error: string,
     *     esp_message_id: string,
     *     tracking: array{opens: array<string, mixed>, clicks: array<string, mixed>},
     *     events: list<array<string, mixed>>,
     *     delivery_attempts: list<array<string, mixed>>,
     *     attachments: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function cancel(string $id, array $options = []): array
    {
        return $this->requester->json('POST', self::path('/api/v1/emails/{id}/cancel', $id), options: $options, idempotent: true);
    }

    /**
     * Get an email: status, recipients, events and delivery attempts.
     *
     * GET /api/v1/emails/{id} (`getEmail`). Requires the `emails:send` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     status: string,
     *     from: string,
     *     recipients: list<array<string, mixed>>,
     *     reply_to: list<mixed>,
     *     subject: string,
     *     template_id: string,
     *     tags: list<mixed>,
     *     metadata: array<string, mixed>,
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     created_at: string,
     *     scheduled_at: string|null,
     *     sent_at: string|null,
     *     next_attempt_at: string|null,
     *     attempts: int,
     *     last_error: string,
     *     esp_message_id: string,
     *     tracking: array{opens: array<string, mixed>, clicks: array<string, mixed>},
     *     events: list<array<string, mixed>>,
     *     delivery_attempts: list<array<string, mixed>>,
     *     attachments: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function get(string $id): array
    {
        return $this->requester->json('GET', self::path('/api/v1/emails/{id}', $id));
    }

    /**
     * List emails by status, tag, recipient and time.
     *
     * GET /api/v1/emails (`listEmails`). Requires the `emails:send` permission.
     * One page; see listAll() to iterate every item.
     *
     * @param array{status?: string, tag?: string, recipient?: string, created_after?: string|\DateTimeInterface, created_before?: string|\DateTimeInterface, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     status: string,
     *     from: string,
     *     to: list<mixed>,
     *     subject: string,
     *     tags: list<mixed>,
     *     test_mode: bool,
     *     created_at: string,
     *     scheduled_at: string|null,
     *     sent_at: string|null,
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/emails', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{status?: string, tag?: string, recipient?: string, created_after?: string|\DateTimeInterface, created_before?: string|\DateTimeInterface, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     status: string,
     *     from: string,
     *     to: list<mixed>,
     *     subject: string,
     *     tags: list<mixed>,
     *     test_mode: bool,
     *     created_at: string,
     *     scheduled_at: string|null,
     *     sent_at: string|null,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/emails', $params);
    }
}
