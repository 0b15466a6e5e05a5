"""Cursor pages (api-reference.md "Pagination"): ``meta.pagination`` = ``{limit, has_more, next_cursor}``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from ._models import PageInfo

T = TypeVar("T")

__all__ = ["Page", "iterate", "page"]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items (``data``) and ``pagination`` (``limit``, ``has_more``, ``next_cursor``)."""

    data: list[T]
    pagination: PageInfo

    @property
    def has_more(self) -> bool:
        return bool(self.pagination.get("has_more"))

    @property
    def next_cursor(self) -> str | None:
        return self.pagination.get("next_cursor")

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def iterate(fetch: Callable[[str | None], Page[T]]) -> Iterator[T]:
    """Every item of every page: fetches the next page (by ``next_cursor``) only once the last one is consumed."""
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from page.data
        cursor = page.next_cursor
        if not page.has_more or not cursor:
            return


def page(data: Any, meta: dict[str, Any]) -> Page[Any]:
    """The page of a list answer: its ``data`` and ``meta.pagination``."""
    pagination = meta.get("pagination") or {"limit": len(data or []), "has_more": False, "next_cursor": None}
    return Page(list(data or []), cast(PageInfo, pagination))
