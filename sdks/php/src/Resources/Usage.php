<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * API usage analytics and the request log: `$client->usage`.
 */
final class Usage extends Resource
{
    /**
     * API usage over a range: totals, success rate, latency percentiles, rate-limit use, series, endpoints, errors, keys (cached one minute).
     *
     * GET /api/v1/tenant/analytics/api-usage (`getApiUsage`). Requires the `analytics:read` permission.
     *
     * @param array{range?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, key_id?: string, environment?: string, endpoint?: string, status?: string} $params
     * @return array{
     *     from: string,
     *     to: string,
     *     step: string,
     *     total_requests: int,
     *     success_rate: float|string,
     *     avg_response_ms: float|string|null,
     *     p50_response_ms: float|string|null,
     *     p95_response_ms: float|string|null,
     *     p99_response_ms: float|string|null,
     *     unauthenticated_requests: int,
     *     rate_limit: array{plan: string, limit_per_minute: int, burst: int, peak_used: int, peak_at: string|null, percent_of_limit: float|string, exceeded_count: int, series: list<array<string, mixed>>},
     *     series: list<array<string, mixed>>,
     *     endpoints: list<array<string, mixed>>,
     *     errors: list<array<string, mixed>>,
     *     recent_errors: list<array<string, mixed>>,
     *     keys: list<array<string, mixed>>,
     *     unauthenticated: list<array<string, mixed>>,
     * }
     * @throws PenguinMailsException
     */
    public function get(array $params = []): array
    {
        return $this->requester->json('GET', '/api/v1/tenant/analytics/api-usage', query: $params);
    }

    /**
     * The raw request log, newest first, filterable and cursor-paged.
     *
     * GET /api/v1/tenant/analytics/api-requests (`listApiRequests`). Requires the `analytics:read` permission.
     * One page; see listRequestsAll() to iterate every item.
     *
     * @param array{status?: string, key_id?: string, environment?: string, endpoint?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     time: string,
     *     key_id: string,
     *     environment: string,
     *     authenticated: bool,
     *     endpoint: string,
     *     status: int,
     *     error_code: string,
     *     error_message: string,
     *     duration_ms: float|string,
     *     client_ip: string,
     *     user_agent: string,
     *     request_id: string,
     * }>
     * @throws PenguinMailsException
     */
    public function listRequests(array $params = []): Page
    {
        return $this->requester->page('/api/v1/tenant/analytics/api-requests', $params);
    }

    /**
     * Every item of listRequests(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{status?: string, key_id?: string, environment?: string, endpoint?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     time: string,
     *     key_id: string,
     *     environment: string,
     *     authenticated: bool,
     *     endpoint: string,
     *     status: int,
     *     error_code: string,
     *     error_message: string,
     *     duration_ms: float|string,
     *     client_ip: string,
     *     user_agent: string,
     *     request_id: string,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listRequestsAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/tenant/analytics/api-requests', $params);
    }

    /**
     * The error log of a usage query as CSV (same range and filters).
     *
     * GET /api/v1/tenant/analytics/api-usage/errors/export (`exportApiUsageErrors`). Requires the `analytics:export` permission.
     *
     * @param array{range?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, key_id?: string, environment?: string, endpoint?: string, status?: string} $params
     * @return string the CSV text (RFC 4180, UTF-8)
     * @throws PenguinMailsException
     */
    public function exportErrors(array $params = []): string
    {
        return $this->requester->csv('/api/v1/tenant/analytics/api-usage/errors/export', $params);
    }

    /**
     * The request-volume series of a usage query as CSV (same range and filters).
     *
     * GET /api/v1/tenant/analytics/api-usage/series/export (`exportApiUsageSeries`). Requires the `analytics:export` permission.
     *
     * @param array{range?: string, from?: string|\DateTimeInterface, to?: string|\DateTimeInterface, key_id?: string, environment?: string, endpoint?: string, status?: string} $params
     * @return string the CSV text (RFC 4180, UTF-8)
     * @throws PenguinMailsException
     */
    public function exportSeries(array $params = []): string
    {
        return $this->requester->csv('/api/v1/tenant/analytics/api-usage/series/export', $params);
    }
}
