<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * Campaigns: drafts, sending, scheduling, pausing: `$client->campaigns`.
 */
final class Campaigns extends Resource
{
    /**
     * List campaigns by status, with sorting and cursor pagination.
     *
     * GET /api/v1/campaigns (`listCampaigns`). Requires the `campaigns:read` permission.
     * One page; see listAll() to iterate every item.
     *
     * @param array{status?: string, search?: string, sort?: string, order?: string, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/campaigns', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{status?: string, search?: string, sort?: string, order?: string, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/campaigns', $params);
    }

    /**
     * Create a draft campaign.
     *
     * POST /api/v1/campaigns (`createCampaign`). Requires the `campaigns:write` permission.
     *
     * @param array{
     *     name: string,
     *     subject?: string|null,
     *     from?: string|null,
     *     template_id?: string|null,
     *     variables?: array<string, mixed>|null,
     *     html_body?: string|null,
     *     text_body?: string|null,
     *     audience: array{all?: bool|null, tags?: list<mixed>|null}|null,
     *     attachments?: list<mixed>|null,
     *     track_opens?: bool|null,
     *     track_clicks?: bool|null,
     * } $body
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function create(array $body, array $options = []): array
    {
        return $this->requester->json('POST', '/api/v1/campaigns', body: $body, options: $options, idempotent: true);
    }

    /**
     * Get a campaign with its progress.
     *
     * GET /api/v1/campaigns/{id} (`getCampaign`). Requires the `campaigns:read` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function get(string $id): array
    {
        return $this->requester->json('GET', self::path('/api/v1/campaigns/{id}', $id));
    }

    /**
     * Edit a draft or scheduled campaign.
     *
     * PATCH /api/v1/campaigns/{id} (`updateCampaign`). Requires the `campaigns:write` permission.
     *
     * @param string $id
     * @param array{
     *     name?: string|null,
     *     subject?: string|null,
     *     from?: string|null,
     *     template_id?: string|null,
     *     variables?: array<string, mixed>|null,
     *     html_body?: string|null,
     *     text_body?: string|null,
     *     audience?: array{all?: bool|null, tags?: list<mixed>|null}|null,
     *     attachments?: list<mixed>|null,
     *     track_opens?: bool|null,
     *     track_clicks?: bool|null,
     * } $body
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function update(string $id, array $body): array
    {
        return $this->requester->json('PATCH', self::path('/api/v1/campaigns/{id}', $id), body: $body);
    }

    /**
     * Delete a draft, sent or cancelled campaign (its messages and analytics stay).
     *
     * DELETE /api/v1/campaigns/{id} (`deleteCampaign`). Requires the `campaigns:delete` permission.
     *
     * @param string $id
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function delete(string $id): array
    {
        return $this->requester->json('DELETE', self::path('/api/v1/campaigns/{id}', $id));
    }

    /**
     * Send now, or at scheduled_at when the body gives one.
     *
     * POST /api/v1/campaigns/{id}/send (`sendCampaign`). Requires the `campaigns:write` permission.
     *
     * @param string $id
     * @param array{
     *     scheduled_at?: string|null,
     * }|null|null $body the JSON body; null sends none
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function send(string $id, ?array $body = null, array $options = []): array
    {
        return $this->requester->json('POST', self::path('/api/v1/campaigns/{id}/send', $id), body: $body, options: $options, idempotent: true);
    }

    /**
     * Schedule (or reschedule) the campaign for scheduled_at.
     *
     * POST /api/v1/campaigns/{id}/schedule (`scheduleCampaign`). Requires the `campaigns:write` permission.
     *
     * @param string $id
     * @param array{
     *     scheduled_at?: string|null,
     * } $body
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function schedule(string $id, array $body, array $options = []): array
    {
        return $this->requester->json('POST', self::path('/api/v1/campaigns/{id}/schedule', $id), body: $body, options: $options, idempotent: true);
    }

    /**
     * Pause a sending campaign: the fan-out stops and its queued messages are held.
     *
     * POST /api/v1/campaigns/{id}/pause (`pauseCampaign`). Requires the `campaigns:write` permission.
     *
     * @param string $id
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function pause(string $id, array $options = []): array
    {
        return $this->requester->json('POST', self::path('/api/v1/campaigns/{id}/pause', $id), options: $options, idempotent: true);
    }

    /**
     * Resume a paused campaign.
     *
     * POST /api/v1/campaigns/{id}/resume (`resumeCampaign`). Requires the `campaigns:write` permission.
     *
     * @param string $id
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function resume(string $id, array $options = []): array
    {
        return $this->requester->json('POST', self::path('/api/v1/campaigns/{id}/resume', $id), options: $options, idempotent: true);
    }

    /**
     * Cancel: no more messages are queued and queued ones are cancelled.
     *
     * POST /api/v1/campaigns/{id}/cancel (`cancelCampaign`). Requires the `campaigns:write` permission.
     *
     * @param string $id
     * @param array{idempotency_key?: string} $options `idempotency_key`: your own key (default: a new UUID per call, reused by its retries)
     * @return array{
     *     id: string,
     *     name: string,
     *     status: string,
     *     status_reason: string|null,
     *     subject: string,
     *     from: string,
     *     template_id: string,
     *     variables: array<string, mixed>,
     *     html_body: string,
     *     text_body: string,
     *     audience: array{all: bool, tags: list<mixed>},
     *     track_opens: bool,
     *     track_clicks: bool,
     *     test_mode: bool,
     *     allowed_actions: list<mixed>,
     *     progress: array{recipients: int, skipped: int, pending: int, delivered: int, bounced: int, failed: int, cancelled: int, fan_out_complete: bool},
     *     created_at: string,
     *     updated_at: string,
     *     scheduled_at: string|null,
     *     started_at: string|null,
     *     sent_at: string|null,
     *     cancelled_at: string|null,
     * }
     * @throws PenguinMailsException
     */
    public function cancel(string $id, array $options = []): array
    {
        return $this->requester->json('POST', self::path('/api/v1/campaigns/{id}/cancel', $id), options: $options, idempotent: true);
    }
}
