"""Page sources for the bulk-select grids: the data side of `BulkTable`.

Textual-free on purpose: the cron path and the benchmarks import this module without a UI.
A source answers three questions for a filter text: how many rows match (`count`), one page of
them in some order (`fetch`), and every matching id (`ids`, for select-all/invert).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

Row = tuple[Hashable, Sequence[str]]


@dataclass(frozen=True)
class Column:
    """One grid column. `width=None` shares the remaining width with other flexible columns."""

    key: str
    label: str
    width: int | None = None
    sortable: bool = True
    align: str = "left"  # "left" | "right" | "center"


@runtime_checkable
class PageSource(Protocol):
    """Synchronous row provider; `BulkTable` calls it from thread workers."""

    columns: Sequence[Column]

    def count(self, filter_text: str) -> int: ...

    def fetch(
        self,
        filter_text: str,
        sort_key: str | None,
        descending: bool,
        offset: int,
        limit: int,
    ) -> list[Row]: ...

    def ids(self, filter_text: str) -> list[Hashable]: ...


_NUMBER = re.compile(r"^-?[\d,]*\.?\d+$")


def natural_key(cell: str) -> tuple[int, float, str]:
    """Sort numbers numerically ("$1,200.00" after "$99") and text case-insensitively."""
    text = cell.strip().lstrip("$€£")
    if _NUMBER.match(text):
        return (0, float(text.replace(",", "")), "")
    return (1, 0.0, cell.casefold())


class ListSource:
    """In-memory rows, for small grids and tests. Filter = case-insensitive substring of any cell."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Iterable[Row],
        *,
        sort_key: Callable[[str], object] = natural_key,
    ) -> None:
        self.columns = tuple(columns)
        self._rows = [(row_id, tuple(cells)) for row_id, cells in rows]
        self._haystack = ["\x1f".join(cells).casefold() for _, cells in self._rows]
        self._index = {column.key: i for i, column in enumerate(self.columns)}
        self._sort_key = sort_key

    def _matching(self, filter_text: str) -> list[Row]:
        needle = filter_text.strip().casefold()
        if not needle:
            return self._rows
        return [row for row, hay in zip(self._rows, self._haystack, strict=True) if needle in hay]

    def count(self, filter_text: str) -> int:
        return len(self._matching(filter_text))

    def fetch(
        self,
        filter_text: str,
        sort_key: str | None,
        descending: bool,
        offset: int,
        limit: int,
    ) -> list[Row]:
        rows = self._matching(filter_text)
        if sort_key in self._index:
            i = self._index[sort_key]
            rows = sorted(rows, key=lambda row: self._sort_key(row[1][i]), reverse=descending)
        elif descending:
            rows = rows[::-1]
        return rows[offset : offset + limit]

    def ids(self, filter_text: str) -> list[Hashable]:
        return [row_id for row_id, _ in self._matching(filter_text)]
