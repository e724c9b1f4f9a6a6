"""BulkTable: the one keyboard-driven, bulk-select grid used by every panel.

Rows are paged from a `PageSource` by async workers (its queries run on threads) and only the
visible lines are rendered (Line API), so a 50k-row product list paints as fast as a 50-row
one. Selection is a set of row ids kept apart from the cursor, so it survives paging, sorting
and filtering.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Horizontal
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from jettui.services.listing import Column, ListSource, PageSource, Row

if TYPE_CHECKING:
    from _typeshed import ConvertibleToInt

__all__ = ["BulkTable", "Column", "ListSource", "PageSource", "int_id"]

PAGE_SIZE = 100  # rows per fetch; a page is ~4 screens at 80x24
MAX_PAGES = 40  # LRU window of cached pages around where the user has been
MARKER = "●"
MARK_WIDTH = 2  # marker glyph + gap

_T = TypeVar("_T")


def int_id(row_id: Hashable) -> int:
    """``int(row_id)`` for grids over database rows, whose sources key rows by integer ids
    (row ids are only known to be hashable here)."""
    return int(cast("ConvertibleToInt", row_id))


@dataclass(frozen=True)
class _Query:
    """What the grid asks its source for; `generation` tells current answers from stale ones."""

    generation: int
    source: PageSource
    filter_text: str
    sort_key: str | None
    descending: bool

    def pages(self, first_page: int, last_page: int) -> list[Row]:
        offset, limit = first_page * PAGE_SIZE, (last_page - first_page + 1) * PAGE_SIZE
        return self.source.fetch(self.filter_text, self.sort_key, self.descending, offset, limit)

    def count(self) -> int:
        return self.source.count(self.filter_text)


class TableMessage(Message):
    """A message about one BulkTable (its `control`, for `@on(..., selector)`)."""

    def __init__(self, table: BulkTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> BulkTable:
        return self.table


def _fit(text: str, width: int, align: str, crop: str = "end") -> str:
    """Crop (with an ellipsis, see `Column.crop`) or pad `text` to exactly `width` cells."""
    if width <= 0:
        return ""
    text = text.replace("\n", " ")
    length = cell_len(text)
    if length > width:
        if crop != "path":
            return set_cell_size(text, width - 1) + "…"
        # a cropped path keeps whole segments, so it is often narrower than the column:
        # pad it like any short text, or the columns after it shift left
        text = _crop_path(text, width)
        length = cell_len(text)
    pad = width - length
    if align == "right":
        return " " * pad + text
    if align == "center":
        return " " * (pad // 2) + text + " " * (pad - pad // 2)
    return text + " " * pad


def _crop_path(text: str, width: int) -> str:
    """ "A > B > C" in `width` cells (> 1), keeping whole segments from the leaf: "… > B > C"."""
    parts = text.split(" > ")
    while len(parts) > 1:
        parts = parts[1:]
        shorter = "… > " + " > ".join(parts)
        if cell_len(shorter) <= width:
            return shorter
    return "…" + set_cell_size(text[::-1], width - 1)[::-1]  # the leaf alone is too long


def _share(columns: Sequence[Column], width: int) -> list[int]:
    """Widths of `columns` in `width` cells: fixed ones as given, flexible ones by ratio."""
    room = width - MARK_WIDTH - len(columns)  # one space before each column
    widths = [c.width or 0 for c in columns]
    flexible = [i for i, c in enumerate(columns) if c.width is None]
    if flexible:
        spare = max(room - sum(widths), 0)
        ratios = sum(columns[i].ratio for i in flexible)
        for i in flexible:
            widths[i] = spare * columns[i].ratio // ratios
        for n in range(spare - sum(widths[i] for i in flexible)):  # rounding leftovers
            widths[flexible[n % len(flexible)]] += 1
        for i in flexible:
            widths[i] = max(widths[i], 3)
    return widths


def layout_columns(columns: Sequence[Column], width: int) -> list[tuple[int, Column, int]]:
    """(index in the row, column, width) of the columns shown in `width` cells: optional
    columns are dropped, last first, while a flexible column is below its `min_width`."""
    shown = list(enumerate(columns))
    while True:
        widths = _share([c for _, c in shown], width)
        starved = any(
            c.width is None and w < c.min_width for (_, c), w in zip(shown, widths, strict=True)
        )
        optional = [n for n, (_, c) in enumerate(shown) if c.optional]
        if not starved or not optional:
            return [(i, c, w) for (i, c), w in zip(shown, widths, strict=True)]
        del shown[optional[-1]]


class BulkFilterInput(Input):
    """One-line filter box; escape (or enter) hands focus back to the table."""

    BINDINGS = [
        Binding("escape", "leave", "Done", show=False, id="bulk-table.leave-filter"),
    ]

    class Left(Message):
        pass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The cursor goes to the end: a select-all on focus would make the next key replace
        # what was typed ahead (see BulkTable.on_key) or the filter being refined.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def action_leave(self) -> None:
        self.post_message(self.Left())


class BulkTableBody(ScrollView, can_focus=False):
    """The scrolling grid: line 0 is the fixed header, line y > 0 is row `scroll_y + y - 1`."""

    COMPONENT_CLASSES = {
        "bulk-table--header",
        "bulk-table--cursor",
        "bulk-table--cursor-blurred",
        "bulk-table--selected",
        "bulk-table--marker",
        "bulk-table--placeholder",
        "bulk-table--alert",
    }

    DEFAULT_CSS = """
    BulkTableBody {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
        & > .bulk-table--header { background: $panel; color: $foreground; text-style: bold; }
        & > .bulk-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .bulk-table--cursor-blurred {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .bulk-table--selected { text-style: bold; }
        & > .bulk-table--marker { color: $text-accent; text-style: bold; }
        & > .bulk-table--placeholder { color: $text-muted; }
        & > .bulk-table--alert { color: $text-error; text-style: bold reverse; }
    }
    """

    def __init__(self, table: BulkTable) -> None:
        super().__init__()
        self._table = table

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._table._header_strip(self, width)
        return self._table._row_strip(self, int(self.scroll_y) + y - 1, width)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._table._ensure_loaded()

    def on_resize(self) -> None:
        self._table._ensure_loaded()

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._table._click_row(int(self.scroll_y) + event.y - 1, event.chain)


class BulkTable(Widget, can_focus=True):
    """A paged, filterable, sortable grid with a multi-row selection of ids."""

    DEFAULT_CSS = """
    BulkTable {
        height: 1fr;
        layout: vertical;
        & > .bulk-table--filter { display: none; height: 1; }
        & > .bulk-table--filter.-active { display: block; }
        & > .bulk-table--filter > Label { width: auto; padding: 0 1 0 0; color: $text-muted; }
        & > .bulk-table--filter > BulkFilterInput { width: 1fr; }
        & > .bulk-table--status {
            height: 1;
            background: $panel;
            color: $foreground;
        }
        & > .bulk-table--status.-error { color: $text-error; }
        &:focus > .bulk-table--status { text-style: bold; }
    }
    """

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="bulk-table.cursor-up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="bulk-table.cursor-down"),
        Binding("pageup", "cursor_page_up", "Page up", show=False, id="bulk-table.page-up"),
        Binding("pagedown", "cursor_page_down", "Page down", show=False, id="bulk-table.page-down"),
        Binding("home,g", "cursor_first", "First", show=False, id="bulk-table.first"),
        Binding("end,G", "cursor_last", "Last", show=False, id="bulk-table.last"),
        Binding("space", "toggle", "Select", id="bulk-table.toggle"),
        Binding("shift+up", "extend_up", "Extend up", show=False, id="bulk-table.extend-up"),
        Binding(
            "shift+down", "extend_down", "Extend down", show=False, id="bulk-table.extend-down"
        ),
        Binding("a", "select_all", "All", id="bulk-table.select-all"),
        Binding("n", "select_none", "None", show=False, id="bulk-table.select-none"),
        Binding("i", "invert", "Invert", show=False, id="bulk-table.invert"),
        Binding("slash", "open_filter", "Filter", id="bulk-table.filter"),
        Binding("s", "cycle_sort", "Sort", show=False, id="bulk-table.sort"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="bulk-table.reverse"),
        Binding("less_than_sign", "sort_ascending", "Asc", show=False, id="bulk-table.asc"),
        Binding("greater_than_sign", "sort_descending", "Desc", show=False, id="bulk-table.desc"),
        Binding("enter", "activate", "Open", show=False, id="bulk-table.activate"),
    ]

    class SelectionChanged(TableMessage):
        """The selection set changed; `count` is its new size."""

        def __init__(self, table: BulkTable, count: int) -> None:
            super().__init__(table)
            self.count = count

    class RowActivated(TableMessage):
        """Enter was pressed on a row; `cells` are its full texts, one per source column."""

        def __init__(self, table: BulkTable, row_id: Hashable, cells: Sequence[str]) -> None:
            super().__init__(table)
            self.row_id = row_id
            self.cells = cells

    def __init__(
        self,
        source: PageSource,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._source = source
        self.selected: set[Hashable] = set()
        self._filter_text = ""
        self._sort_key: str | None = None
        self._descending = False
        self._total: int | None = None
        self._counting = False  # _total is a lower bound while the count query runs
        self._pages: LRUCache[int, list[Row]] = LRUCache(MAX_PAGES)
        self._pending: set[int] = set()
        self._generation = 0
        self._cursor = 0
        self._error: str | None = None
        self._widths: tuple[int, list[tuple[int, Column, int]]] | None = None
        self._ready = False  # children composed; `is_mounted` is still False inside on_mount
        self._keep_id: Hashable | None = None  # row the cursor returns to once rows arrive
        self._note = ""
        self._typing_ahead = False  # filter opened, focus not there yet: keys go to the filter

    # ----------------------------------------------------------------- public API

    @property
    def source(self) -> PageSource:
        return self._source

    @property
    def filter_text(self) -> str:
        return self._filter_text

    @filter_text.setter
    def filter_text(self, value: str) -> None:
        if self._ready:
            filter_input = self.query_one(BulkFilterInput)
            if filter_input.value != value:
                filter_input.value = value
        self._apply_filter(value)

    @property
    def note(self) -> str:
        """A lasting word in the status line about what the grid lists (e.g. a scope)."""
        return self._note

    @note.setter
    def note(self, value: str) -> None:
        self._note = value
        self._refresh_all()

    @property
    def sort_key(self) -> str | None:
        return self._sort_key

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def row_count(self) -> int | None:
        """Rows matching the current filter (None until the exact count arrives)."""
        return None if self._counting else self._total

    @property
    def counting(self) -> bool:
        """The exact count of the current filter is still being computed."""
        return self._total is None or self._counting

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_id(self) -> Hashable | None:
        row = self._row(self._cursor)
        return None if row is None else row[0]

    @property
    def cursor_cells(self) -> Sequence[str]:
        """The full texts of the row under the cursor (empty while it is loading)."""
        row = self._row(self._cursor)
        return () if row is None else row[1]

    @property
    def status_text(self) -> str:
        if self._error is not None:
            return self._error
        if self._total is None or self._counting:
            rows = "counting…"  # never a number of an older filter, nor a lower bound
        else:
            rows = f"{self._total:,} {'row' if self._total == 1 else 'rows'}"
        parts = [rows, f"{len(self.selected):,} selected"]
        if self._note:
            parts.append(self._note)
        if self._filter_text:
            parts.append(f"filter: {self._filter_text}")
        if self._sort_key is not None:
            label = next((c.label for c in self._source.columns if c.key == self._sort_key), "")
            parts.append(f"sort: {label} {'▼' if self._descending else '▲'}")
        return " · ".join(parts)

    def reload(self) -> None:
        """Re-query count and visible rows (e.g. after a bulk action); keeps the selection
        and the cursor on the same row id (the next action must hit the same product)."""
        forget = getattr(self._source, "forget", None)
        if forget is not None:
            forget()  # a keyset source's anchors and counts describe the old rows
        self._requery(reset_cursor=False, keep_id=self.cursor_id)

    def set_source(self, source: PageSource) -> None:
        """Show another source. Filter and selection stay (clear them yourself if ids differ);
        the cursor stays on the same row id when the new source still lists it."""
        keep_id = self.cursor_id
        self._source = source
        self._widths = None
        if self._sort_key not in {c.key for c in source.columns}:
            self._sort_key, self._descending = None, False
        self._requery(reset_cursor=keep_id is None, keep_id=keep_id)

    def select_ids(self, ids: Iterable[Hashable]) -> None:
        self.selected.update(ids)
        self._selection_changed()

    def clear_selection(self) -> None:
        self.selected.clear()
        self._selection_changed()

    # ------------------------------------------------------------------ compose

    def compose(self) -> ComposeResult:
        with Horizontal(classes="bulk-table--filter"):
            yield Label("Filter:")
            yield BulkFilterInput(
                placeholder="type to narrow the rows; enter or esc: back", compact=True
            )
        yield BulkTableBody(self)
        yield Static(self.status_text, classes="bulk-table--status", markup=False)

    def on_mount(self) -> None:
        self._ready = True
        self._requery(reset_cursor=True)

    def on_focus(self) -> None:
        self._body.refresh()

    def on_blur(self) -> None:
        self._body.refresh()

    @property
    def _body(self) -> BulkTableBody:
        return self.query_one(BulkTableBody)

    # ------------------------------------------------------------------ querying

    def _requery(self, *, reset_cursor: bool, keep_id: Hashable | None = None) -> None:
        self._keep_id = keep_id
        self._generation += 1
        self._pages.clear()
        self._pending.clear()
        self._error = None
        if reset_cursor:
            self._cursor = 0
            if self._ready:
                self._body.scroll_to(y=0, animate=False, immediate=True)
        if not self._ready:
            return
        first, last = self._wanted_pages()
        self._pending.update(range(first, last + 1))
        self._run_query(self._query(), first, last)
        self._refresh_all()

    def _query(self) -> _Query:
        return _Query(
            self._generation, self._source, self._filter_text, self._sort_key, self._descending
        )

    def _wanted_pages(self) -> tuple[int, int]:
        """Pages covering the viewport and the cursor, plus one page of look-ahead."""
        body = self._body
        top = int(body.scroll_y)
        bottom = top + max(body.size.height, 24)
        low = min(top, self._cursor)
        high = max(bottom, self._cursor)
        if self._total is not None:
            high = min(high, max(self._total - 1, 0))
        return max(low // PAGE_SIZE, 0), max(high // PAGE_SIZE, low // PAGE_SIZE)

    def _ensure_loaded(self) -> None:
        if self._total is None or self._total == 0:
            return
        first, last = self._wanted_pages()
        missing = [p for p in range(first, last + 1) if p not in self._pages]
        missing = [p for p in missing if p not in self._pending]
        if not missing:
            return
        self._pending.update(range(missing[0], missing[-1] + 1))
        self._run_fetch(self._query(), missing[0], missing[-1])

    @work(exclusive=True, group="bulk-table-query", exit_on_error=False)
    async def _run_query(self, query: _Query, first_page: int, last_page: int) -> None:
        # Rows first, count second: the first screen appears as soon as LIMIT is satisfied,
        # and a short page (the usual case while typing a filter) makes the count unnecessary.
        # A newer query cancels this worker (exclusive group), so a stale count never lands.
        rows = await self._read(query, "reading rows", partial(query.pages, first_page, last_page))
        if rows is None:
            return
        offset, limit = first_page * PAGE_SIZE, (last_page - first_page + 1) * PAGE_SIZE
        if len(rows) < limit and (rows or offset == 0):
            self._answered(query, first_page, rows, total=offset + len(rows), new_query=True)
            return
        self._answered(query, first_page, rows, new_query=True)
        total = await self._read(query, "counting rows", query.count)
        if total is not None:
            self._answered(query, first_page, None, total=total)

    @work(exclusive=True, group="bulk-table-pages", exit_on_error=False)
    async def _run_fetch(self, query: _Query, first_page: int, last_page: int) -> None:
        rows = await self._read(query, "reading rows", partial(query.pages, first_page, last_page))
        if rows is not None:
            self._answered(query, first_page, rows)

    @work(exclusive=True, group="bulk-table-ids", exit_on_error=False)
    async def _run_ids(self, source: PageSource, filter_text: str, mode: str) -> None:
        try:
            ids = await asyncio.to_thread(source.ids, filter_text)
        except Exception as error:  # shown in the status line instead of killing the app
            self._query_failed(self._generation, _describe(error, "selecting rows", source))
            return
        self._ids_done(filter_text, mode, ids)

    async def _read(self, query: _Query, what: str, read: Callable[[], _T]) -> _T | None:
        """`read()` on a thread (it queries the store); None once a failure of `query` is in
        the status line."""
        try:
            return await asyncio.to_thread(read)
        except Exception as error:  # shown in the status line instead of killing the app
            self._query_failed(query.generation, _describe(error, what, query.source))
            return None

    def _store_pages(self, first_page: int, rows: list[Row]) -> None:
        for offset in range(0, max(len(rows), 1), PAGE_SIZE):
            page = first_page + offset // PAGE_SIZE
            self._pages[page] = rows[offset : offset + PAGE_SIZE]
            self._pending.discard(page)

    def _answered(
        self,
        query: _Query,
        first_page: int,
        rows: list[Row] | None,
        *,
        total: int | None = None,
        new_query: bool = False,
    ) -> None:
        """A worker's answer to `query`: rows from `first_page` on and/or a total.

        `new_query` rows answer a new filter/sort/reload (else a scroll); `total` is None while
        the count still runs (rows only) and set alone once it arrives (no rows).
        """
        if query.generation != self._generation:
            return  # a newer filter/sort/reload superseded this answer
        if new_query:
            self._pending.clear()
        if rows is not None:
            self._store_pages(first_page, rows)
        if total is not None:
            self._set_total(total, exact=True)
        elif new_query:
            # Provisional until the count arrives: what we have, so the cursor can move in it.
            self._set_total(first_page * PAGE_SIZE + len(rows or ()), exact=False)
        else:
            self._body.refresh()
            self._ensure_loaded()
        if new_query and rows is not None:
            self._return_to_kept_row(first_page, rows)

    def _return_to_kept_row(self, first_page: int, rows: list[Row]) -> None:
        """After a reload, put the cursor back on the row it was on (wherever it moved)."""
        keep_id, self._keep_id = self._keep_id, None
        if keep_id is None:
            return
        for offset, (row_id, _cells) in enumerate(rows):
            if row_id == keep_id:
                self._move_cursor(first_page * PAGE_SIZE + offset)
                return

    def _set_total(self, total: int, *, exact: bool) -> None:
        self._counting = not exact
        self._total = total
        self._cursor = min(self._cursor, max(total - 1, 0))
        self._body.virtual_size = Size(self._body.size.width, total + 1)
        self._refresh_all()
        self._ensure_loaded()

    def _ids_done(self, filter_text: str, mode: str, ids: list[Hashable]) -> None:
        if filter_text != self._filter_text:
            return  # the filter moved on; applying old ids would touch rows the user can't see
        if mode == "all":
            self.selected.update(ids)
        else:
            matching = set(ids)
            self.selected.symmetric_difference_update(matching)
        self._selection_changed()

    def _query_failed(self, generation: int, error: str) -> None:
        if generation != self._generation:
            return
        self._error = error
        self._pending.clear()
        self._refresh_all()

    # ------------------------------------------------------------------ rendering

    def _row(self, index: int) -> Row | None:
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def _layout(self, width: int) -> list[tuple[int, Column, int]]:
        if self._widths is None or self._widths[0] != width:
            self._widths = (width, layout_columns(self._source.columns, width))
        return self._widths[1]

    def _line(self, cells: Sequence[str], width: int, *, header: bool = False) -> str:
        parts = [" " * MARK_WIDTH]
        for i, column, cell_width in self._layout(width):
            cell = str(cells[i]) if i < len(cells) else ""
            if column.short is not None and not header:
                cell = column.short(cell)
            parts.append(" " + _fit(cell, cell_width, column.align, column.crop))
        return "".join(parts)

    def _header_strip(self, body: BulkTableBody, width: int) -> Strip:
        arrow = "▼" if self._descending else "▲"
        labels = [
            f"{c.label} {arrow}" if c.key == self._sort_key else c.label
            for c in self._source.columns
        ]
        style = body.rich_style + body.get_component_rich_style("bulk-table--header")
        text = _fit(self._line(labels, width, header=True), width, "left")
        return Strip([Segment(text, style)], width)

    def _row_strip(self, body: BulkTableBody, index: int, width: int) -> Strip:
        base = body.rich_style
        placeholder = base + body.get_component_rich_style("bulk-table--placeholder")
        if self._total == 0 and index == 0:
            label = "  no rows match the filter" if self._filter_text else "  no rows"
            return Strip([Segment(_fit(label, width, "left"), placeholder)], width)
        if self._total is not None and index >= self._total:
            return Strip.blank(width, base)
        row = self._row(index)
        if row is None:
            label = "" if self._error is not None else "  …"
            return Strip([Segment(_fit(label, width, "left"), placeholder)], width)
        row_id, cells = row
        is_selected = row_id in self.selected
        style = base
        if is_selected:
            style += body.get_component_rich_style("bulk-table--selected")
        if index == self._cursor:
            focused = self.has_focus or self.has_focus_within
            name = "bulk-table--cursor" if focused else "bulk-table--cursor-blurred"
            style += body.get_component_rich_style(name)
        if is_selected:
            marker_style = style + body.get_component_rich_style("bulk-table--marker")
            segments = [Segment(MARKER + " ", marker_style)]
        else:
            segments = [Segment(" " * MARK_WIDTH, style)]
        alerts = self._alert_spans(cells, width)
        text = _fit(self._line(cells, width)[MARK_WIDTH:], width - MARK_WIDTH, "left")
        if not alerts:
            segments.append(Segment(text, style))
        else:  # highlighted cells (e.g. an order near its deadline): split the line at them
            alert_style = style + body.get_component_rich_style("bulk-table--alert")
            position = 0
            for start, end in alerts:
                segments.append(Segment(text[position:start], style))
                segments.append(Segment(text[start:end], alert_style))
                position = end
            segments.append(Segment(text[position:], style))
        return Strip(segments, width)

    def _alert_spans(self, cells: Sequence[str], width: int) -> list[tuple[int, int]]:
        """(start, end) offsets after the marker of the cells whose column's `alert` says so.
        Offsets count characters: grid cells are padded to width (wide glyphs aside)."""
        spans = []
        position = 0
        for i, column, cell_width in self._layout(width):
            position += 1  # the space before each column
            cell = str(cells[i]) if i < len(cells) else ""
            if column.alert is not None and column.alert(cell):
                spans.append((position, position + cell_width))
            position += cell_width
        return spans

    def _refresh_all(self) -> None:
        if not self._ready:
            return
        status = self.query_one(".bulk-table--status", Static)
        status.update(self.status_text)
        status.set_class(self._error is not None, "-error")
        self._body.refresh()

    def _selection_changed(self) -> None:
        self._refresh_all()
        self.post_message(self.SelectionChanged(self, len(self.selected)))

    # ------------------------------------------------------------------ cursor

    def _visible_rows(self) -> int:
        return max(self._body.scrollable_content_region.height - 1, 1)

    def _move_cursor(self, index: int) -> None:
        if not self._total:
            return
        old = self._cursor
        self._cursor = max(0, min(index, self._total - 1))
        body = self._body
        top = int(body.scroll_y)
        visible = self._visible_rows()
        if self._cursor < top:
            body.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + visible:
            body.scroll_to(y=self._cursor - visible + 1, animate=False, immediate=True)
        body.refresh_line(old - int(body.scroll_y) + 1)
        body.refresh_line(self._cursor - int(body.scroll_y) + 1)
        self._ensure_loaded()

    def _click_row(self, index: int, chain: int) -> None:
        self.focus()
        if self._total and index < self._total:
            self._move_cursor(index)
            if chain >= 2:
                self.action_activate()

    def action_cursor_up(self) -> None:
        self._move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self._cursor + 1)

    def action_cursor_page_up(self) -> None:
        self._move_cursor(self._cursor - self._visible_rows())

    def action_cursor_page_down(self) -> None:
        self._move_cursor(self._cursor + self._visible_rows())

    def action_cursor_first(self) -> None:
        self._move_cursor(0)

    def action_cursor_last(self) -> None:
        if self._total:
            self._move_cursor(self._total - 1)

    # ------------------------------------------------------------------ selection

    # replaces DOMNode's toggle(attribute_name) action on purpose: "toggle" selects the row
    def action_toggle(self) -> None:  # type: ignore[override]
        row_id = self.cursor_id
        if row_id is None:
            return
        if row_id in self.selected:
            self.selected.discard(row_id)
        else:
            self.selected.add(row_id)
        self._selection_changed()
        self.action_cursor_down()

    def _extend(self, step: int) -> None:
        row_id = self.cursor_id
        if row_id is None:
            return
        self.selected.add(row_id)
        self._move_cursor(self._cursor + step)
        if (new_id := self.cursor_id) is not None:
            self.selected.add(new_id)
        self._selection_changed()

    def action_extend_up(self) -> None:
        self._extend(-1)

    def action_extend_down(self) -> None:
        self._extend(+1)

    def action_select_all(self) -> None:
        self._run_ids(self._source, self._filter_text, "all")

    def action_select_none(self) -> None:
        self.clear_selection()

    def action_invert(self) -> None:
        self._run_ids(self._source, self._filter_text, "invert")

    def action_activate(self) -> None:
        row = self._row(self._cursor)
        if row is not None:
            self.post_message(self.RowActivated(self, row[0], row[1]))

    # ------------------------------------------------------------------ filter and sort

    def action_open_filter(self) -> None:
        filter_input = self.query_one(BulkFilterInput)
        self.query_one(".bulk-table--filter").add_class("-active")
        self._typing_ahead = True
        filter_input.focus()
        filter_input.cursor_position = len(filter_input.value)

    def on_key(self, event: events.Key) -> None:
        """`/` opens the filter at once, and what is typed before focus reaches it goes in it.

        Textual moves focus on a later turn of the loop, so keys sent in one burst (a paste,
        a fast typist, tmux send-keys) would otherwise still reach the grid: `/kestrel`
        filtered nothing and its `e` opened the edit screen.
        """
        if not self._typing_ahead and event.key == "slash":
            self.action_open_filter()
        elif self._typing_ahead:
            filter_input = self.query_one(BulkFilterInput)
            if event.key in ("enter", "escape"):
                self._leave_filter()
            elif event.key == "backspace":
                filter_input.action_delete_left()
            elif event.is_printable and event.character is not None:
                filter_input.insert_text_at_cursor(event.character)
            else:
                return
        else:
            return
        event.stop()
        event.prevent_default()

    @on(events.DescendantFocus)
    def _filter_focused(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, BulkFilterInput):
            self._typing_ahead = False

    def _leave_filter(self) -> None:
        self._typing_ahead = False
        self.query_one(".bulk-table--filter").remove_class("-active")
        self.focus()

    @on(BulkFilterInput.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply_filter(event.value)

    @on(BulkFilterInput.Submitted)
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._leave_filter()

    @on(BulkFilterInput.Left)
    def _filter_left(self, event: BulkFilterInput.Left) -> None:
        event.stop()
        self._leave_filter()

    def _apply_filter(self, value: str) -> None:
        if value == self._filter_text:
            return
        self._filter_text = value
        self._requery(reset_cursor=True)

    def _set_sort(self, key: str | None, descending: bool) -> None:
        self._sort_key, self._descending = key, descending
        self._requery(reset_cursor=True)

    def action_cycle_sort(self) -> None:
        width = self._body.scrollable_content_region.width
        keys = [c.key for _, c, _ in self._layout(width) if c.sortable]  # the columns shown
        if not keys:
            return
        cycle: list[str | None] = [None, *keys]
        position = cycle.index(self._sort_key) if self._sort_key in cycle else 0
        self._set_sort(cycle[(position + 1) % len(cycle)], self._descending)

    def action_reverse_sort(self) -> None:
        self._set_sort(self._sort_key, not self._descending)

    def action_sort_ascending(self) -> None:
        self._set_sort(self._sort_key, False)

    def action_sort_descending(self) -> None:
        self._set_sort(self._sort_key, True)


def _describe(error: Exception, purpose: str, source: PageSource) -> str:
    """One line for the status line: what failed, on which store, and the error's first
    line (a database error's text names no password; the store label has none either)."""
    first_line = str(error).splitlines()[0] if str(error) else ""
    where = getattr(source, "store_label", "")
    return (
        f"{purpose} failed{f' on {where}' if where else ''}: {type(error).__name__}: {first_line}"[
            :160
        ]
    )
