<?php

declare(strict_types=1);

namespace PenguinMails;

/** `meta.pagination` of a cursor-paged list (api-reference.md "Pagination"). */
final readonly class Pagination
{
    /**
     * @param int $limit the page size used
     * @param bool $hasMore whether another page follows
     * @param ?string $nextCursor pass as `cursor` to get the next page; null on the last page
     */
    public function __construct(
        public int $limit,
        public bool $hasMore,
        public ?string $nextCursor,
    ) {
    }

    /** @param array{limit?: int|string, has_more?: bool, next_cursor?: ?string}|null $wire */
    public static function fromWire(?array $wire, int $count): self
    {
        return new self(
            (int) ($wire['limit'] ?? $count),
            (bool) ($wire['has_more'] ?? false),
            isset($wire['next_cursor']) && $wire['next_cursor'] !== '' ? (string) $wire['next_cursor'] : null,
        );
    }
}
