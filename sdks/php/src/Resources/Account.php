<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;

/**
 * The calling key, its tenant and permissions: `$client->account`.
 */
final class Account extends Resource
{
    /**
     * The calling key, its tenant and permissions.
     *
     * GET /api/v1/me (`getMe`). Requires any valid API key.
     *
     * @return array{
     *     id: string,
     *     key_id: string,
     *     name: string,
     *     environment: string,
     *     permissions: list<mixed>,
     *     tenant_id: string,
     * }
     * @throws PenguinMailsException
     */
    public function get(): array
    {
        return $this->requester->json('GET', '/api/v1/me');
    }
}
