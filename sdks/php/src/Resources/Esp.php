<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;

/**
 * The delivery transport and ESP credentials: `$client->esp`.
 */
final class Esp extends Resource
{
    /**
     * Get the delivery transport, credentials (last 4 characters only) and inbound webhook URLs.
     *
     * GET /api/v1/tenant/esp (`getEspSettings`). Requires the `admin:full` permission.
     *
     * @return array{
     *     transport: string,
     *     postmark: array{server_token_last4: string, message_stream: string, webhook_url: string},
     *     mailgun: array{api_key_last4: string, domain: string, region: string, webhook_signing_key_last4: string, webhook_url: string},
     *     updated_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function get(): array
    {
        return $this->requester->json('GET', '/api/v1/tenant/esp');
    }

    /**
     * Choose the delivery transport (smtp, postmark, mailgun) and set ESP credentials; omitted credentials are kept.
     *
     * PUT /api/v1/tenant/esp (`updateEspSettings`). Requires the `admin:full` permission.
     *
     * @param array{
     *     transport?: string|null,
     *     postmark?: array{server_token?: string|null, message_stream?: string|null}|null,
     *     mailgun?: array{api_key?: string|null, domain?: string|null, region?: string|null, webhook_signing_key?: string|null}|null,
     * } $body
     * @return array{
     *     transport: string,
     *     postmark: array{server_token_last4: string, message_stream: string, webhook_url: string},
     *     mailgun: array{api_key_last4: string, domain: string, region: string, webhook_signing_key_last4: string, webhook_url: string},
     *     updated_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function update(array $body): array
    {
        return $this->requester->json('PUT', '/api/v1/tenant/esp', body: $body);
    }
}
