<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;

/**
 * Campaign analytics: `$client->analytics`.
 */
final class Analytics extends Resource
{
    /**
     * A campaign's counts, rates, hourly series and top links, from its stored email events.
     *
     * GET /api/v1/analytics/campaigns/{id} (`getCampaignAnalytics`). Requires the `analytics:read` permission.
     *
     * @param string $id
     * @return array{
     *     campaign_id: string,
     *     name: string,
     *     status: string,
     *     recipients: int,
     *     sent: int,
     *     delivered: int,
     *     bounced: int,
     *     failed: int,
     *     opened: array{unique: int, total: int},
     *     clicked: array{unique: int, total: int},
     *     complained: int,
     *     unsubscribed: int,
     *     rates: array{delivery_rate: float|string, open_rate: float|string, click_rate: float|string, bounce_rate: float|string, complaint_rate: float|string, unsubscribe_rate: float|string},
     *     hourly: list<array<string, mixed>>,
     *     top_links: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function getCampaign(string $id): array
    {
        return $this->requester->json('GET', self::path('/api/v1/analytics/campaigns/{id}', $id));
    }
}
