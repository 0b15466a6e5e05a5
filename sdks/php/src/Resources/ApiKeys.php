<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * The tenant's API keys: `$client->apiKeys`.
 */
final class ApiKeys extends Resource
{
    /**
     * List API keys.
     *
     * GET /api/v1/platform/api-keys (`listApiKeys`). Requires the `admin:api_keys` permission.
     * One page; see listAll() to iterate every item.
     *
     * @param array{search?: string, status?: string, sort?: string, order?: string, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     name: string,
     *     description: string,
     *     environment: string,
     *     key_id: string,
     *     masked_key: string,
     *     permissions: list<mixed>,
     *     allowed_ips: list<mixed>,
     *     status: string,
     *     expires_at: string|null,
     *     created_by: string,
     *     created_at: string,
     *     updated_at: string,
     *     last_used_at: string|null,
     *     revoked_at: string|null,
     *     rotated_at: string|null,
     *     replaced_by: string|null,
     *     rotated_from: string|null,
     *     usage: array{total_requests: int, last_24h: int, error_rate: float|string},
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/platform/api-keys', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{search?: string, status?: string, sort?: string, order?: string, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     name: string,
     *     description: string,
     *     environment: string,
     *     key_id: string,
     *     masked_key: string,
     *     permissions: list<mixed>,
     *     allowed_ips: list<mixed>,
     *     status: string,
     *     expires_at: string|null,
     *     created_by: string,
     *     created_at: string,
     *     updated_at: string,
     *     last_used_at: string|null,
     *     revoked_at: string|null,
     *     rotated_at: string|null,
     *     replaced_by: string|null,
     *     rotated_from: string|null,
     *     usage: array{total_requests: int, last_24h: int, error_rate: float|string},
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/platform/api-keys', $params);
    }

    /**
     * Create an API key (the whole key is returned only here).
     *
     * POST /api/v1/platform/api-keys (`createApiKey`). Requires the `admin:api_keys` permission.
     * The answer carries a secret that is shown only once: keep it. Not retried once the request may have reached the server.
     *
     * @param array{
     *     name: string,
     *     description?: string|null,
     *     environment?: string|null,
     *     permissions?: list<mixed>|null,
     *     preset?: string|null,
     *     expires_in_days?: int|null,
     *     expires_at?: string|null,
     *     allowed_ips?: list<mixed>|null,
     * } $body
     * @return array{
     *     key: string,
     *     api_key: array{id: string, name: string, description: string, environment: string, key_id: string, masked_key: string, permissions: list<mixed>, allowed_ips: list<mixed>, status: string, expires_at: string|null, created_by: string, created_at: string, updated_at: string, last_used_at: string|null, revoked_at: string|null, rotated_at: string|null, replaced_by: string|null, rotated_from: string|null, usage: array<string, mixed>},
     *     warning: string,
     *     previous_key?: array{id: string, name: string, description: string, environment: string, key_id: string, masked_key: string, permissions: list<mixed>, allowed_ips: list<mixed>, status: string, expires_at: string|null, created_by: string, created_at: string, updated_at: string, last_used_at: string|null, revoked_at: string|null, rotated_at: string|null, replaced_by: string|null, rotated_from: string|null, usage: array<string, mixed>}|null,
     * }
     * @throws PenguinMailsException
     */
    public function create(array $body): array
    {
        return $this->requester->json('POST', '/api/v1/platform/api-keys', body: $body, returnsSecret: true);
    }

    /**
     * Get an API key by id or key identifier.
     *
     * GET /api/v1/platform/api-keys/{id} (`getApiKey`). Requires the `admin:api_keys` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     name: string,
     *     description: string,
     *     environment: string,
     *     key_id: string,
     *     masked_key: string,
     *     permissions: list<mixed>,
     *     allowed_ips: list<mixed>,
     *     status: string,
     *     expires_at: string|null,
     *     created_by: string,
     *     created_at: string,
     *     updated_at: string,
     *     last_used_at: string|null,
     *     revoked_at: string|null,
     *     rotated_at: string|null,
     *     replaced_by: string|null,
     *     rotated_from: string|null,
     *     usage: array{total_requests: int, last_24h: int, error_rate: float|string},
     * }
     * @throws PenguinMailsException
     */
    public function get(string $id): array
    {
        return $this->requester->json('GET', self::path('/api/v1/platform/api-keys/{id}', $id));
    }

    /**
     * Edit a key's name, description, permissions or allowed IPs.
     *
     * PATCH /api/v1/platform/api-keys/{id} (`updateApiKey`). Requires the `admin:api_keys` permission.
     *
     * @param string $id
     * @param array{
     *     name?: string|null,
     *     description?: string|null,
     *     permissions?: list<mixed>|null,
     *     allowed_ips?: list<mixed>|null,
     * } $body
     * @return array{
     *     id: string,
     *     name: string,
     *     description: string,
     *     environment: string,
     *     key_id: string,
     *     masked_key: string,
     *     permissions: list<mixed>,
     *     allowed_ips: list<mixed>,
     *     status: string,
     *     expires_at: string|null,
     *     created_by: string,
     *     created_at: string,
     *     updated_at: string,
     *     last_used_at: string|null,
     *     revoked_at: string|null,
     *     rotated_at: string|null,
     *     replaced_by: string|null,
     *     rotated_from: string|null,
     *     usage: array{total_requests: int, last_24h: int, error_rate: float|string},
     * }
     * @throws PenguinMailsException
     */
    public function update(string $id, array $body): array
    {
        return $this->requester->json('PATCH', self::path('/api/v1/platform/api-keys/{id}', $id), body: $body);
    }

    /**
     * Revoke an API key (immediate).
     *
     * DELETE /api/v1/platform/api-keys/{id} (`revokeApiKey`). Requires the `admin:api_keys` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     name: string,
     *     description: string,
     *     environment: string,
     *     key_id: string,
     *     masked_key: string,
     *     permissions: list<mixed>,
     *     allowed_ips: list<mixed>,
     *     status: string,
     *     expires_at: string|null,
     *     created_by: string,
     *     created_at: string,
     *     updated_at: string,
     *     last_used_at: string|null,
     *     revoked_at: string|null,
     *     rotated_at: string|null,
     *     replaced_by: string|null,
     *     rotated_from: string|null,
     *     usage: array{total_requests: int, last_24h: int, error_rate: float|string},
     * }
     * @throws PenguinMailsException
     */
    public function revoke(string $id): array
    {
        return $this->requester->json('DELETE', self::path('/api/v1/platform/api-keys/{id}', $id));
    }

    /**
     * Rotate: a new key now (with the old one's term again), the old one works 24 hours more.
     *
     * POST /api/v1/platform/api-keys/{id}/rotate (`rotateApiKey`). Requires the `admin:api_keys` permission.
     * The answer carries a secret that is shown only once: keep it. Not retried once the request may have reached the server.
     *
     * @param string $id
     * @return array{
     *     key: string,
     *     api_key: array{id: string, name: string, description: string, environment: string, key_id: string, masked_key: string, permissions: list<mixed>, allowed_ips: list<mixed>, status: string, expires_at: string|null, created_by: string, created_at: string, updated_at: string, last_used_at: string|null, revoked_at: string|null, rotated_at: string|null, replaced_by: string|null, rotated_from: string|null, usage: array<string, mixed>},
     *     warning: string,
     *     previous_key?: array{id: string, name: string, description: string, environment: string, key_id: string, masked_key: string, permissions: list<mixed>, allowed_ips: list<mixed>, status: string, expires_at: string|null, created_by: string, created_at: string, updated_at: string, last_used_at: string|null, revoked_at: string|null, rotated_at: string|null, replaced_by: string|null, rotated_from: string|null, usage: array<string, mixed>}|null,
     * }
     * @throws PenguinMailsException
     */
    public function rotate(string $id): array
    {
        return $this->requester->json('POST', self::path('/api/v1/platform/api-keys/{id}/rotate', $id), returnsSecret: true);
    }
}
