<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * The suppression list: `$client->suppressions`.
 */
final class Suppressions extends Resource
{
    /**
     * List suppressed addresses.
     *
     * GET /api/v1/suppressions (`listSuppressions`). Requires the `contacts:read` permission.
     * One page; see listAll() to iterate every item.
     *
     * @param array{reason?: string, search?: string, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     email: string,
     *     reason: 'hard_bounce'|'complaint'|'unsubscribe'|'manual',
     *     source: string,
     *     note: string,
     *     created_at: string,
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/suppressions', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{reason?: string, search?: string, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     email: string,
     *     reason: 'hard_bounce'|'complaint'|'unsubscribe'|'manual',
     *     source: string,
     *     note: string,
     *     created_at: string,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/suppressions', $params);
    }

    /**
     * Suppress one address or several (idempotent: the first reason is kept).
     *
     * POST /api/v1/suppressions (`addSuppressions`). Requires the `contacts:write` permission.
     *
     * @param array{
     *     email?: string|null,
     *     emails?: list<mixed>|null,
     *     reason?: 'hard_bounce'|'complaint'|'unsubscribe'|'manual'|null,
     *     note?: string|null,
     * } $body
     * @return array{
     *     suppression: array{id: string, email: string, reason: 'hard_bounce'|'complaint'|'unsubscribe'|'manual', source: string, note: string, created_at: string},
     *     already_suppressed: bool,
     *     message: string,
     * }
     * @throws PenguinMailsException
     */
    public function add(array $body): array
    {
        return $this->requester->json('POST', '/api/v1/suppressions', body: $body);
    }

    /**
     * Get a suppressed address.
     *
     * GET /api/v1/suppressions/{email} (`getSuppression`). Requires the `contacts:read` permission.
     *
     * @param string $email
     * @return array{
     *     id: string,
     *     email: string,
     *     reason: 'hard_bounce'|'complaint'|'unsubscribe'|'manual',
     *     source: string,
     *     note: string,
     *     created_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function get(string $email): array
    {
        return $this->requester->json('GET', self::path('/api/v1/suppressions/{email}', $email));
    }

    /**
     * Remove an address from the list.
     *
     * DELETE /api/v1/suppressions/{email} (`removeSuppression`). Requires the `contacts:delete` permission.
     *
     * @param string $email
     * @return array{
     *     id: string,
     *     email: string,
     *     reason: 'hard_bounce'|'complaint'|'unsubscribe'|'manual',
     *     source: string,
     *     note: string,
     *     created_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function remove(string $email): array
    {
        return $this->requester->json('DELETE', self::path('/api/v1/suppressions/{email}', $email));
    }
}
