<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * Sending domains and their DNS records: `$client->domains`.
 */
final class Domains extends Resource
{
    /**
     * List the account's sending domains with their DNS records.
     *
     * GET /api/v1/domains (`listDomains`). Requires the `domains:read` permission.
     * One page; see listAll() to iterate every item.
     *
     * @param array{limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     operator_managed: bool,
     *     dkim_selector: string,
     *     dkim_next_selector: string,
     *     created_at: string,
     *     verified_at: string|null,
     *     last_checked_at: string|null,
     *     records_missing_since: string|null,
     *     failed_at: string|null,
     *     records: list<array<string, mixed>>,
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/domains', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     operator_managed: bool,
     *     dkim_selector: string,
     *     dkim_next_selector: string,
     *     created_at: string,
     *     verified_at: string|null,
     *     last_checked_at: string|null,
     *     records_missing_since: string|null,
     *     failed_at: string|null,
     *     records: list<array<string, mixed>>,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/domains', $params);
    }

    /**
     * Add a sending domain: answers the DNS records to publish (DKIM, SPF, DMARC, return path).
     *
     * POST /api/v1/domains (`addDomain`). Requires the `domains:write` permission.
     *
     * @param array{
     *     name?: string|null,
     * } $body
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     operator_managed: bool,
     *     dkim_selector: string,
     *     dkim_next_selector: string,
     *     created_at: string,
     *     verified_at: string|null,
     *     last_checked_at: string|null,
     *     records_missing_since: string|null,
     *     failed_at: string|null,
     *     records: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function create(array $body): array
    {
        return $this->requester->json('POST', '/api/v1/domains', body: $body);
    }

    /**
     * Get a sending domain with its records and the last check's answers.
     *
     * GET /api/v1/domains/{id} (`getDomain`). Requires the `domains:read` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     operator_managed: bool,
     *     dkim_selector: string,
     *     dkim_next_selector: string,
     *     created_at: string,
     *     verified_at: string|null,
     *     last_checked_at: string|null,
     *     records_missing_since: string|null,
     *     failed_at: string|null,
     *     records: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function get(string $id): array
    {
        return $this->requester->json('GET', self::path('/api/v1/domains/{id}', $id));
    }

    /**
     * Delete a sending domain (live keys can no longer send from it; its held mail is cancelled).
     *
     * DELETE /api/v1/domains/{id} (`deleteDomain`). Requires the `domains:write` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     operator_managed: bool,
     *     dkim_selector: string,
     *     dkim_next_selector: string,
     *     created_at: string,
     *     verified_at: string|null,
     *     last_checked_at: string|null,
     *     records_missing_since: string|null,
     *     failed_at: string|null,
     *     records: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function delete(string $id): array
    {
        return $this->requester->json('DELETE', self::path('/api/v1/domains/{id}', $id));
    }

    /**
     * Look the domain's records up in DNS now and answer record by record.
     *
     * POST /api/v1/domains/{id}/verify (`verifyDomain`). Requires the `domains:write` permission.
     *
     * @param string $id
     * @return array{
     *     verified: bool,
     *     domain: array{id: string, name: string, status: string, operator_managed: bool, dkim_selector: string, dkim_next_selector: string, created_at: string, verified_at: string|null, last_checked_at: string|null, records_missing_since: string|null, failed_at: string|null, records: list<array<string, mixed>>},
     * }
     * @throws PenguinMailsException
     */
    public function verify(string $id): array
    {
        return $this->requester->json('POST', self::path('/api/v1/domains/{id}/verify', $id));
    }

    /**
     * Make a new DKIM key: publish its record, then verify; signing switches to it once DNS shows it.
     *
     * POST /api/v1/domains/{id}/dkim/rotate (`rotateDomainDkim`). Requires the `domains:write` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     operator_managed: bool,
     *     dkim_selector: string,
     *     dkim_next_selector: string,
     *     created_at: string,
     *     verified_at: string|null,
     *     last_checked_at: string|null,
     *     records_missing_since: string|null,
     *     failed_at: string|null,
     *     records: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function rotateDkim(string $id): array
    {
        return $this->requester->json('POST', self::path('/api/v1/domains/{id}/dkim/rotate', $id));
    }
}
