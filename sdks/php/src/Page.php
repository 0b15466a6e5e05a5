<?php

declare(strict_types=1);

namespace PenguinMails;

/**
 * One page of a cursor-paged list: its items (`data`) and `pagination`. Iterating a Page gives its items;
 * the `...All()` methods follow `next_cursor` for you.
 *
 * @template T
 * @implements \IteratorAggregate<int, T>
 */
final readonly class Page implements \IteratorAggregate, \Countable
{
    /** @param list<T> $data */
    public function __construct(
        public array $data,
        public Pagination $pagination,
        public ?string $requestId = null,
    ) {
    }

    /** @return \ArrayIterator<int, T> */
    public function getIterator(): \ArrayIterator
    {
        return new \ArrayIterator($this->data);
    }

    public function count(): int
    {
        return count($this->data);
    }
}
