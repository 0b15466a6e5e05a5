<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * The tenant's audit log: `$client->auditLog`.
 */
final class AuditLog extends Resource
{
    /**
     * The tenant's audit log: key changes, sign-ins, lockouts, sudo, team changes, IP violations.
     *
     * GET /api/v1/platform/audit-log (`listAuditLog`). Newest first. `type`: one or several (repeat it or separate with commas) of `api_key.created`, `api_key.updated`, `api_key.rotated`, `api_key.revoked`, `auth.ip_denied`, `auth.signed_in`, `auth.sign_in_failed`, `auth.locked_out`, `auth.sudo_confirmed`, `auth.sudo_failed`, `user.created`, `user.role_changed`, `user.removed`, `user.password_reset`, `user.unlocked`, `tenant.created`, `tenant.plan_changed`, `account.password_changed`, `account.password_reset_requested`, `account.password_reset_completed`, `account.two_factor_enabled`, `account.two_factor_disabled`, `account.recovery_codes_regenerated`, `account.recovery_code_used`, `esp.settings_changed`, `esp.webhook_refused`. `actor`: exact, as written in the log (`user:EMAIL`, `api_key:pm_live_…`, `cli`). `from` (inclusive) and `to` (exclusive): RFC 3339 with a zone. Entries are kept `PenguinMails:Audit:RetentionDays` (365 by default).
     * One page; see listAll() to iterate every item.
     *
     * @param array{type?: list<mixed>|string, actor?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     type: string,
     *     actor: string,
     *     detail: string,
     *     ip: string,
     *     user_agent: string,
     *     api_key_id: string|null,
     *     occurred_at: string,
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/platform/audit-log', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{type?: list<mixed>|string, actor?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     type: string,
     *     actor: string,
     *     detail: string,
     *     ip: string,
     *     user_agent: string,
     *     api_key_id: string|null,
     *     occurred_at: string,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/platform/audit-log', $params);
    }
}
