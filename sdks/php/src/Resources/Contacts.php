<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * Contacts: upsert, list, import, export, GDPR access and erasure: `$client->contacts`.
 */
final class Contacts extends Resource
{
    /**
     * Add or update a contact by email (201 created, 200 updated).
     *
     * POST /api/v1/contacts (`upsertContact`). Requires the `contacts:write` permission.
     *
     * @param array{
     *     email?: string|null,
     *     first_name?: string|null,
     *     last_name?: string|null,
     *     status?: string|null,
     *     force?: bool|null,
     *     tags?: list<mixed>|null,
     *     attributes?: array<string, mixed>|null,
     * } $body
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     email: string,
     *     first_name: string,
     *     last_name: string,
     *     status: string,
     *     attributes: array<string, mixed>,
     *     tags: list<mixed>,
     *     created_at: string,
     *     updated_at: string,
     *     created?: bool|null,
     * }
     * @throws PenguinMailsException
     */
    public function upsert(array $body, array $options = []): array
    {
        return $this->requester->json('POST', '/api/v1/contacts', body: $body, options: $options, idempotent: true);
    }

    /**
     * List contacts.
     *
     * GET /api/v1/contacts (`listContacts`). Requires the `contacts:read` permission.
     * One page; see listAll() to iterate every item.
     *
     * @param array{status?: string, tag?: string, search?: string, created_after?: string|\DateTimeInterface, created_before?: string|\DateTimeInterface, sort?: string, order?: string, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     email: string,
     *     first_name: string,
     *     last_name: string,
     *     status: string,
     *     attributes: array<string, mixed>,
     *     tags: list<mixed>,
     *     created_at: string,
     *     updated_at: string,
     *     created?: bool|null,
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/contacts', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{status?: string, tag?: string, search?: string, created_after?: string|\DateTimeInterface, created_before?: string|\DateTimeInterface, sort?: string, order?: string, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     email: string,
     *     first_name: string,
     *     last_name: string,
     *     status: string,
     *     attributes: array<string, mixed>,
     *     tags: list<mixed>,
     *     created_at: string,
     *     updated_at: string,
     *     created?: bool|null,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/contacts', $params);
    }

    /**
     * List tags with the number of contacts holding each.
     *
     * GET /api/v1/contacts/tags (`listContactTags`). Requires the `contacts:read` permission.
     *
     * @return list<array{tag: string, count: int}>
     * @throws PenguinMailsException
     */
    public function listTags(): array
    {
        return $this->requester->json('GET', '/api/v1/contacts/tags');
    }

    /**
     * Get a contact.
     *
     * GET /api/v1/contacts/{id} (`getContact`). Requires the `contacts:read` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     email: string,
     *     first_name: string,
     *     last_name: string,
     *     status: string,
     *     attributes: array<string, mixed>,
     *     tags: list<mixed>,
     *     created_at: string,
     *     updated_at: string,
     *     created?: bool|null,
     * }
     * @throws PenguinMailsException
     */
    public function get(string $id): array
    {
        return $this->requester->json('GET', self::path('/api/v1/contacts/{id}', $id));
    }

    /**
     * Edit a contact.
     *
     * PATCH /api/v1/contacts/{id} (`updateContact`). Requires the `contacts:write` permission.
     *
     * @param string $id
     * @param array{
     *     email?: string|null,
     *     first_name?: string|null,
     *     last_name?: string|null,
     *     status?: string|null,
     *     force?: bool|null,
     *     tags?: list<mixed>|null,
     *     add_tags?: list<mixed>|null,
     *     remove_tags?: list<mixed>|null,
     *     attributes?: array<string, mixed>|null,
     * } $body
     * @return array{
     *     id: string,
     *     email: string,
     *     first_name: string,
     *     last_name: string,
     *     status: string,
     *     attributes: array<string, mixed>,
     *     tags: list<mixed>,
     *     created_at: string,
     *     updated_at: string,
     *     created?: bool|null,
     * }
     * @throws PenguinMailsException
     */
    public function update(string $id, array $body): array
    {
        return $this->requester->json('PATCH', self::path('/api/v1/contacts/{id}', $id), body: $body);
    }

    /**
     * Delete a contact.
     *
     * DELETE /api/v1/contacts/{id} (`deleteContact`). Requires the `contacts:delete` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     deleted: bool,
     * }
     * @throws PenguinMailsException
     */
    public function delete(string $id): array
    {
        return $this->requester->json('DELETE', self::path('/api/v1/contacts/{id}', $id));
    }

    /**
     * Import contacts: creates new ones, updates existing ones by address; one report for the whole file.
     *
     * POST /api/v1/contacts/import (`importContacts`). Requires the `contacts:write` permission.
     * A list of contacts (each the shape of upsert()'s body) is sent as a JSON array; a string is sent as it is,
     * CSV by default (header row `email,first_name,last_name,status,tags,…`) or NDJSON with
     * `['content_type' => 'application/x-ndjson']`.
     *
     * @param list<array{email: string, first_name?: string|null, last_name?: string|null, status?: string|null, tags?: list<string>|null, attributes?: array<string, mixed>|null}>|string $contacts
     * @param array{idempotency_key?: string, content_type?: 'text/csv'|'application/json'|'application/x-ndjson'} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries); `content_type` of a string
     * @return array{
     *     total: int,
     *     created: int,
     *     updated: int,
     *     failed: int,
     *     errors: list<array{row: int, email: string|null, errors: list<string>}>|null,
     *     errors_truncated: bool,
     * }
     * @throws PenguinMailsException
     */
    public function bulkImport(array|string $contacts, array $options = []): array
    {
        if (is_string($contacts)) {
            return $this->requester->json('POST', '/api/v1/contacts/import', options: $options, idempotent: true,
                rawBody: $contacts, contentType: $options['content_type'] ?? 'text/csv');
        }
        if (!array_is_list($contacts)) {
            throw new \InvalidArgumentException('bulkImport() takes a list of contacts (or CSV/NDJSON text), not a single contact: use upsert() for one.');
        }
        return $this->requester->json('POST', '/api/v1/contacts/import', options: $options, idempotent: true,
            rawBody: $contacts === [] ? '[]' : \PenguinMails\Internal\Json::encodeBody($contacts));
    }

    /**
     * Export all contacts as CSV (streamed; bom=true starts it with a UTF-8 byte order mark).
     *
     * GET /api/v1/contacts/export (`exportContacts`). Requires the `contacts:read` permission.
     *
     * @param array{bom?: bool} $params
     * @return string the CSV text (RFC 4180, UTF-8)
     * @throws PenguinMailsException
     */
    public function export(array $params = []): string
    {
        return $this->requester->csv('/api/v1/contacts/export', $params);
    }

    /**
     * Everything held about one contact (GDPR access and portability).
     *
     * GET /api/v1/contacts/{id}/export (`exportContactData`). Requires the `contacts:read` permission.
     *
     * @param string $id
     * @return array{
     *     exported_at: string,
     *     contact: array{id: string, email: string, first_name: string, last_name: string, status: string, attributes: array<string, mixed>, tags: list<mixed>, created_at: string, updated_at: string, created?: bool|null},
     *     suppression: array{id: string, email: string, reason: 'hard_bounce'|'complaint'|'unsubscribe'|'manual', source: string, note: string, created_at: string}|null,
     *     messages: list<array<string, mixed>>,
     *     webhook_events: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function exportData(string $id): array
    {
        return $this->requester->json('GET', self::path('/api/v1/contacts/{id}/export', $id));
    }

    /**
     * Erase a contact and its personal data (GDPR erasure).
     *
     * POST /api/v1/contacts/{id}/erase (`eraseContact`). Requires the `contacts:delete` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     erased: bool,
     *     removed: array<string, mixed>,
     * }
     * @throws PenguinMailsException
     */
    public function erase(string $id): array
    {
        return $this->requester->json('POST', self::path('/api/v1/contacts/{id}/erase', $id));
    }
}
