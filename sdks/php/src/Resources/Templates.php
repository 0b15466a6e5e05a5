<?php

declare(strict_types=1);

namespace PenguinMails\Resources;

use PenguinMails\Exception\PenguinMailsException;
use PenguinMails\Page;

/**
 * Email templates (Handlebars): `$client->templates`.
 */
final class Templates extends Resource
{
    /**
     * List templates.
     *
     * GET /api/v1/templates (`listTemplates`). Requires the `emails:send` permission.
     * One page; see listAll() to iterate every item.
     *
     * @param array{search?: string, limit?: int, cursor?: string} $params filters and paging (`limit`, `cursor`)
     * @return Page<array{
     *     id: string,
     *     slug: string,
     *     name: string,
     *     subject: string,
     *     variables: list<array<string, mixed>>,
     *     version: int,
     *     created_at: string,
     *     updated_at: string,
     * }>
     * @throws PenguinMailsException
     */
    public function list(array $params = []): Page
    {
        return $this->requester->page('/api/v1/templates', $params);
    }

    /**
     * Every item of list(), page after page: follows `next_cursor` while `has_more`.
     *
     * Requests are made lazily, as the generator is consumed.
     *
     * @param array{search?: string, limit?: int, cursor?: string} $params filters; `limit` sets the page size
     * @return \Generator<int, array{
     *     id: string,
     *     slug: string,
     *     name: string,
     *     subject: string,
     *     variables: list<array<string, mixed>>,
     *     version: int,
     *     created_at: string,
     *     updated_at: string,
     * }, mixed, void>
     * @throws PenguinMailsException
     */
    public function listAll(array $params = []): \Generator
    {
        return $this->requester->all('/api/v1/templates', $params);
    }

    /**
     * Create a template (Handlebars).
     *
     * POST /api/v1/templates (`createTemplate`). Requires the `campaigns:write` permission.
     *
     * @param array{
     *     slug: string,
     *     name: string,
     *     subject: string,
     *     html_body: string,
     *     text_body?: string|null,
     *     variables?: list<array<string, mixed>>|null,
     * } $body
     * @return array{
     *     id: string,
     *     slug: string,
     *     name: string,
     *     subject: string,
     *     html_body: string,
     *     text_body: string,
     *     variables: list<array<string, mixed>>,
     *     required_variables: list<mixed>,
     *     version: int,
     *     created_at: string,
     *     updated_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function create(array $body): array
    {
        return $this->requester->json('POST', '/api/v1/templates', body: $body);
    }

    /**
     * Get a template by slug.
     *
     * GET /api/v1/templates/{slug} (`getTemplate`). Requires the `emails:send` permission.
     *
     * @param string $slug
     * @return array{
     *     id: string,
     *     slug: string,
     *     name: string,
     *     subject: string,
     *     html_body: string,
     *     text_body: string,
     *     variables: list<array<string, mixed>>,
     *     required_variables: list<mixed>,
     *     version: int,
     *     created_at: string,
     *     updated_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function get(string $slug): array
    {
        return $this->requester->json('GET', self::path('/api/v1/templates/{slug}', $slug));
    }

    /**
     * Edit a template.
     *
     * PATCH /api/v1/templates/{slug} (`updateTemplate`). Requires the `campaigns:write` permission.
     *
     * @param string $slug
     * @param array{
     *     name?: string|null,
     *     subject?: string|null,
     *     html_body?: string|null,
     *     text_body?: string|null,
     *     variables?: list<array<string, mixed>>|null,
     * } $body
     * @return array{
     *     id: string,
     *     slug: string,
     *     name: string,
     *     subject: string,
     *     html_body: string,
     *     text_body: string,
     *     variables: list<array<string, mixed>>,
     *     required_variables: list<mixed>,
     *     version: int,
     *     created_at: string,
     *     updated_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function update(string $slug, array $body): array
    {
        return $this->requester->json('PATCH', self::path('/api/v1/templates/{slug}', $slug), body: $body);
    }

    /**
     * Delete a template (409 while a scheduled or sending campaign still needs it).
     *
     * DELETE /api/v1/templates/{slug} (`deleteTemplate`). Requires the `campaigns:write` permission.
     *
     * @param string $slug
     * @return array{
     *     id: string,
     *     slug: string,
     *     name: string,
     *     subject: string,
     *     variables: list<array<string, mixed>>,
     *     version: int,
     *     created_at: string,
     *     updated_at: string,
     * }
     * @throws PenguinMailsException
     */
    public function delete(string $slug): array
    {
        return $this->requester->json('DELETE', self::path('/api/v1/templates/{slug}', $slug));
    }

    /**
     * Render a template with variables, without sending.
     *
     * POST /api/v1/templates/{slug}/preview (`previewTemplate`). Requires the `emails:send` permission.
     *
     * @param string $slug
     * @param array{
     *     variables?: array<string, mixed>|null,
     * } $body
     * @return array{
     *     subject: string,
     *     html: string,
     *     text: string,
     * }
     * @throws PenguinMailsException
     */
    public function preview(string $slug, array $body): array
    {
        return $this->requester->json('POST', self::path('/api/v1/templates/{slug}/preview', $slug), body: $body);
    }
}
