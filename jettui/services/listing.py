"""Page sources for the bulk-select grids: the data side of `BulkTable`.

Textual-free on purpose: the cron path and the benchmarks import this module without a UI.
A source answers three questions for a filter text: how many rows match (`count`), one page of
them in some order (`fetch`), and every matching id (`ids`, for select-all/invert).
"""

from __future__ import annotations

import logging
import operator
import re
import sqlite3
import threading
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from itertools import repeat
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast, runtime_checkable

import peewee as pw

from jettui.jet.enums import FileStatus, ProductStatus, ReturnStatus
from jettui.services.search_index import IndexBuilder, SearchIndex, row_text
from jettui.store.base import is_mysql
from jettui.store.table_marks import (
    MysqlTables,
    SqliteWatch,
    Unsettled,
    define_crc,
    mix,
    text_crc,
)
from jettui.text_safety import safe_text

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

_log = logging.getLogger("jettui.services")

Row = tuple[Hashable, Sequence[str]]


@dataclass(frozen=True)
class Column:
    """One grid column.

    `width=None` makes it flexible: flexible columns share the spare width by `ratio`. When a
    flexible column would get less than `min_width`, `optional` columns are hidden (the last
    declared first) to make room. `crop="path"` shortens "A > B > C" from the root so the
    leaf stays readable. `short` turns a cell into its grid label; the full text stays in the
    row (the detail screen shows it). `alert` marks a cell the grid highlights (an order
    near its acknowledgement deadline); the cell's text must say it too (16 colours, no colour).
    """

    key: str
    label: str
    width: int | None = None
    sortable: bool = True
    align: str = "left"  # "left" | "right" | "center"
    ratio: int = 1
    min_width: int = 3
    optional: bool = False
    crop: str = "end"  # "end" | "path"
    short: Callable[[str], str] | None = None
    alert: Callable[[str], bool] | None = None  # the cell is highlighted when True


# Jet's long status texts and the label the grids show for them (the detail shows the text).
SHORT_STATUS = {
    str(ProductStatus.AVAILABLE): "Available",
    str(ProductStatus.UNDER_REVIEW): "In review",
    str(ProductStatus.MISSING_DATA): "Missing data",
    "Not Uploaded": "Not sent",  # jettui's own default before the first upload
    str(ReturnStatus.COMPLETED_BY_MERCHANT): "completed",
    str(FileStatus.PROCESSED_WITH_ERRORS): "With errors",
    str(FileStatus.PROCESSED_OK): "Processed",
    str(FileStatus.MERCHANT_ACKNOWLEDGED): "Acknowledged",
}
NOT_SENT = "Not sent"  # a product jettui never sent to Jet
ARCHIVED = str(ProductStatus.ARCHIVED)


def short_status(text: str) -> str:
    """Grid label of a Jet status: a known short form, else the part before " - " (reasons)."""
    if text in SHORT_STATUS:
        return SHORT_STATUS[text]
    head, dash, _ = text.partition(" - ")
    return head if dash else text


@runtime_checkable
class PageSource(Protocol):
    """Synchronous row provider; `BulkTable`'s workers call it through `asyncio.to_thread`."""

    @property
    def columns(self) -> Sequence[Column]: ...  # read-only here: sources keep a tuple or list

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
        sort_key: Callable[[str], SupportsRichComparison] = natural_key,
    ) -> None:
        self.columns = tuple(columns)
        self._index = {column.key: i for i, column in enumerate(self.columns)}
        self._sort_key = sort_key
        self._set_rows(rows)

    def _set_rows(self, rows: Iterable[Row]) -> None:
        self._rows: list[Row] = [(row_id, tuple(cells)) for row_id, cells in rows]
        self._haystack = ["\x1f".join(cells).casefold() for _, cells in self._rows]

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


# --------------------------------------------------------------------------- store sources
#
# The store models are imported on first use (`_jet`, `_oc`): this module is imported by the
# widget package (for `Column`) and must load even where no store is configured.


def _jet() -> Any:
    """jettui's own tables (jettui.store.jet_tables)."""
    from jettui.store import jet_tables

    return jet_tables


def _oc() -> Any:
    """OpenCart's tables (jettui.store.opencart)."""
    from jettui.store import opencart

    return opencart


def _money(value: object) -> str:
    """Money as grid text, ``1,234.50``: a Decimal to the cent (half up) without a float."""
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    return "" if value is None else f"{float(value):,.2f}"  # type: ignore[arg-type]


def _text(value: object) -> str:
    """A value as grid text. OpenCart's fields already undid the column's escaping: decoding
    again would show a name stored as "Fish &amp; Chips" as "Fish & Chips"."""
    return "" if value is None else str(value)


def _raw_store_text(value: object) -> str:
    """Text selected from an OpenCart column by a subquery (no field conversion ran on it):
    undo the column's escaping once, as the field would have."""
    from jettui.store.text import from_db_text

    return "" if value is None else from_db_text(value)


def _cell(value: object) -> str:
    """A stored value as grid text: times to the minute, decimals as money, None as ""."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return _money(value)
    return _text(value)


def short_time(value: object) -> str:
    """A time in a narrow column: ``12-07 18:05``."""
    return value.strftime("%m-%d %H:%M") if isinstance(value, datetime) else ""


class QuerySource:
    """A PageSource over one peewee select.

    Subclasses give `columns`, `_select(*fields)` (the joined, scoped query without a filter),
    `_id_field`, `_fields` (one sort expression per column, in column order, optionally
    followed by display-only extras), `_search` (what the filter text is matched against) and
    `_format(row)`. Every sort ends with the row id so that paging with OFFSET is stable.
    """

    columns: Sequence[Column] = ()
    newest_first = False  # unsorted order: by id descending (logs, orders) or ascending

    def __init__(self, db: pw.Database) -> None:
        self.db = db

    @property
    def store_label(self) -> str:
        """The store, for error lines: the database's name or file (never a password)."""
        return f"store {self.db.database}"

    # -- to provide
    def _select(self, *fields: Any) -> pw.ModelSelect:
        raise NotImplementedError

    def _id_field(self) -> Any:
        raise NotImplementedError

    def _fields(self) -> list[Any]:
        raise NotImplementedError

    def _search(self) -> list[Any]:
        raise NotImplementedError

    def _format(self, row: tuple[Any, ...]) -> Sequence[str]:
        return tuple(_cell(value) for value in row)

    def _shown(self, row: tuple[Any, ...]) -> Sequence[str]:
        """The row's cells as the grid shows them: text from Jet or the store made inert
        (:func:`jettui.text_safety.safe_text`: no control character, ANSI/OSC escape or bidi
        override reaches the terminal)."""
        return tuple(safe_text(cell) for cell in self._format(row))

    # -- PageSource
    def _filtered(self, filter_text: str, *fields: Any) -> pw.ModelSelect:
        query = self._select(*fields)
        needle = filter_text.strip()
        if needle:
            query = query.where(reduce(operator.or_, (f.contains(needle) for f in self._search())))
        return query

    def count(self, filter_text: str) -> int:
        return self._filtered(filter_text, self._id_field()).count(self.db)

    def _order(self, sort_key: str | None, descending: bool) -> tuple[Any, bool]:
        """(sort expression or None for the id order, whether the ids run downwards)."""
        fields = self._fields()
        by_key = {c.key: f for c, f in zip(self.columns, fields, strict=False)}
        if sort_key in by_key:
            return by_key[sort_key], False
        return None, self.newest_first != descending

    def _ordering(self, field: Any, descending: bool, ids_down: bool) -> list[Any]:
        id_field = self._id_field()
        if field is None:
            return [id_field.desc() if ids_down else id_field.asc()]
        return [pw.Desc(field) if descending else pw.Asc(field), id_field.asc()]

    def fetch(
        self,
        filter_text: str,
        sort_key: str | None,
        descending: bool,
        offset: int,
        limit: int,
    ) -> list[Row]:
        field, ids_down = self._order(sort_key, descending)
        id_field = self._id_field()
        query = (
            self._filtered(filter_text, id_field, *self._fields())
            .order_by(*self._ordering(field, descending, ids_down))
            .offset(offset)
            .limit(limit)
            .tuples()
        )
        return [(row[0], self._shown(row[1:])) for row in query.execute(self.db)]

    def ids(self, filter_text: str) -> list[Hashable]:
        query = self._filtered(filter_text, self._id_field()).tuples()
        return [row[0] for row in query.execute(self.db)]


class KeysetSource(QuerySource):
    """A QuerySource that pages by key instead of OFFSET, for tables of a million rows.

    The last row of every page fetched leaves an anchor (its sort value and id); the next
    page starts after the nearest anchor at or before it (``WHERE (key, id) > anchor``), so
    scrolling costs one page however deep it goes. A jump with no anchor near (End, a
    scrollbar drag) reads from whichever end is closer once the count is known. Rows are
    found in two steps: ids (and the sort value) first, the displayed columns of those
    ids second, so the subquery columns are computed for one page, not for every row
    skipped. `nullable` sort keys compare as '' when NULL (NULL has no place in a keyset).
    Descending is the exact reverse of ascending (ties by id downwards too).
    """

    nullable: ClassVar[frozenset[str]] = frozenset()
    MAX_ANCHORS = 2000  # per order; oldest dropped first

    def __init__(self, db: pw.Database) -> None:
        super().__init__(db)
        self._anchors: dict[tuple[str, str | None, bool], dict[int, tuple[Any, Any]]] = {}
        self._counts: dict[str, int] = {}

    def forget(self) -> None:
        """The data changed: anchors and counts may point at rows that moved."""
        self.forget_anchors()
        self._counts.clear()

    def forget_anchors(self) -> None:
        self._anchors.clear()

    def count(self, filter_text: str) -> int:
        total = self._count(filter_text)
        self._counts[filter_text.strip()] = total
        return total

    def _count(self, filter_text: str) -> int:
        return super().count(filter_text)

    def _order(self, sort_key: str | None, descending: bool) -> tuple[Any, bool]:
        field, ids_down = super()._order(sort_key, descending)
        if field is not None and sort_key in self.nullable:
            field = pw.fn.COALESCE(field, "")
        return field, ids_down

    def _ordering(self, field: Any, descending: bool, ids_down: bool) -> list[Any]:
        """(field, id) ascending, or the exact reverse (ties by id downwards too)."""
        if field is None:
            return super()._ordering(field, descending, ids_down)
        id_field = self._id_field()
        if descending:
            return [pw.Desc(field), id_field.desc()]
        return [pw.Asc(field), id_field.asc()]

    def _after(self, field: Any, descending: bool, ids_down: bool, anchor: tuple[Any, Any]) -> Any:
        """Rows after `anchor` in the order (field, id)."""
        id_field = self._id_field()
        # Raw values both ways: a field's converters (HTML escaping) must not touch the key.
        value, row_id = (pw.Value(v, converter=False) for v in anchor)
        if field is None:
            return id_field < row_id if ids_down else id_field > row_id
        if descending:
            return (field < value) | ((field == value) & (id_field < row_id))
        return (field > value) | ((field == value) & (id_field > row_id))

    def _page_ids(
        self, filter_text: str, sort_key: str | None, descending: bool, offset: int, limit: int
    ) -> list[tuple[Any, Any]]:
        """(id, sort value) of rows offset..offset+limit-1, by keyset where an anchor helps."""
        field, ids_down = self._order(sort_key, descending)
        key = (filter_text.strip(), sort_key, descending)
        anchors = self._anchors.setdefault(key, {})
        id_field = self._id_field()
        value_field = id_field if field is None else field
        below = [a for a in anchors if a < offset]
        start = max(below) if below else -1  # -1: from the first row
        total = self._counts.get(key[0])
        reverse = total is not None and (total - offset - limit) < (offset - start - 1)
        if reverse and total is not None:
            # Closer to the end: read the reversed order and turn the rows round.
            skip, take = max(total - offset - limit, 0), min(limit, total - offset)
            if take <= 0:
                return []
            order = self._ordering(field, not descending, not ids_down)
            query = self._filtered(filter_text, id_field, value_field).order_by(*order)
            rows = list(self.db.execute(query.offset(skip).limit(take)))[::-1]
        else:
            query = self._filtered(filter_text, id_field, value_field)
            if start >= 0:
                query = query.where(self._after(field, descending, ids_down, anchors[start]))
            query = query.order_by(*self._ordering(field, descending, ids_down))
            rows = list(self.db.execute(query.offset(offset - start - 1).limit(limit)))
        if rows:
            if len(anchors) >= self.MAX_ANCHORS:
                anchors.pop(next(iter(anchors)))
            last_id, last_value = rows[-1]
            anchors[offset + len(rows) - 1] = (last_value, last_id)
        return rows

    def fetch(
        self,
        filter_text: str,
        sort_key: str | None,
        descending: bool,
        offset: int,
        limit: int,
    ) -> list[Row]:
        page = [
            row_id for row_id, _ in self._page_ids(filter_text, sort_key, descending, offset, limit)
        ]
        return self.rows_of(page)

    def rows_of(self, ids: Sequence[Any]) -> list[Row]:
        """The displayed rows of `ids`, in that order (ids no longer there are left out)."""
        if not ids:
            return []
        id_field = self._id_field()
        query = self._select(id_field, *self._fields()).where(id_field.in_(list(ids))).tuples()
        found = {row[0]: (row[0], self._shown(row[1:])) for row in query.execute(self.db)}
        return [found[row_id] for row_id in ids if row_id in found]

    def offset_fetch(
        self, filter_text: str, sort_key: str | None, descending: bool, offset: int, limit: int
    ) -> list[Row]:
        """The same page read with OFFSET (the reference the keyset pages must equal)."""
        return QuerySource.fetch(self, filter_text, sort_key, descending, offset, limit)


def variation_children(db: pw.Database, product_id: int) -> list[tuple[str, str]]:
    """(merchant SKU, Jet status) of each variation child of a product, in option order.

    The grid lists OpenCart's products, one row each; a parent's children live in jettui's
    JetProduct rows (option value > 0), each with its own status, shown in the row detail.
    An archived child says "Archived" whatever Jet last said, as the grid does.
    """
    JetProduct = _jet().JetProduct
    rows = (
        JetProduct.select(JetProduct.merchant_sku, JetProduct.status, JetProduct.is_archived)
        .where((JetProduct.product_id == product_id) & (JetProduct.product_option_value_id > 0))
        .order_by(JetProduct.product_option_value_id)
    )
    return [
        (row.merchant_sku, ARCHIVED if row.is_archived else row.status) for row in rows.execute(db)
    ]


class ProductSource(KeysetSource):
    """Products of one store with their Jet status and one category name.

    `mapped_only=True` keeps only products in at least one category mapped to a Jet node.
    The filter matches name, model, SKU, UPC and EAN (case-insensitive substring).

    Built for a million products. A background thread started on first use loads a
    :class:`~jettui.services.search_index.SearchIndex` (exact counts, filters, select-all)
    and then, column by column, the ids in each sort order *as the database sorts them*
    (``ORDER BY key, id``: its collation, not Python's). A page anywhere is then a slice of
    ids and one primary-key read of 100 rows, whatever the sort or the depth. Until a piece
    is ready the database answers, paging by key (:class:`KeysetSource`); a filter matching
    up to `IN_LIST` products is sent as their ids. OpenCart's tables have no index on price,
    quantity or status and jettui may not add one; an index table of jettui's own would
    need keeping in step with every admin edit, the memory copy only needs reloading.
    Everything is reloaded after `forget()` (the grid's reload) and when a table the index
    reads changed (checked at most every `CHECK_SECONDS`, without reading the catalog: see
    `_data_mark`); until then the database answers again. Memory: about 80 bytes a product
    for the search text (one buffer, see the index's module), 4 bytes a product per sort
    order (index positions; product ids are OpenCart's INT(11)).
    """

    nullable = frozenset({"name", "jet_status", "category"})
    IN_LIST = 5000
    INDEX_SLICE = 50_000
    CHECK_SECONDS = 30.0
    columns = (
        Column("product_id", "ID", 5, align="right", optional=True),
        Column("model", "Model/SKU", 12),
        Column("name", "Name", min_width=26),
        Column("price", "Price", 9, align="right"),
        Column("quantity", "Qty", 5, align="right"),
        Column("jet_status", "Jet status", 12, short=short_status),
        Column("category", "Category", 16, optional=True),
    )

    def __init__(
        self, db: pw.Database, language_id: int, store_id: int, *, mapped_only: bool = False
    ) -> None:
        super().__init__(db)
        self.language_id = language_id
        self.store_id = store_id
        self.mapped_only = mapped_only
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._index_mark: tuple[Any, ...] | None = None
        self._building = False
        self._checked = 0.0
        self._sorted: dict[str, array[int]] = {}  # sort key -> index positions in (key, id) order
        self._tables: MysqlTables | None = None  # the data mark's tables (MySQL)
        self._watch: SqliteWatch | None = None  # the data mark's commit watch (SQLite)
        self._watch_opened = False

    def _id_field(self) -> Any:
        return _oc().Product.product_id

    # -- the search index

    def forget(self) -> None:
        super().forget()
        with self._lock:
            self._index, self._index_mark = None, None
            self._sorted = {}
        self._start_index()

    def index_ready(self) -> bool:
        """The in-memory search index answers (tests and the benchmark wait on it)."""
        return self._index is not None

    def orders_ready(self) -> bool:
        """Every sort order is in memory too."""
        return self.index_ready() and set(self._sortable()) <= set(self._sorted)

    def _sortable(self) -> list[str]:
        return [c.key for c in self.columns if c.sortable and c.key != "product_id"]

    def _start_index(self) -> None:
        with self._lock:
            if self._building:
                return
            self._building = True
        threading.Thread(target=self._build_index, name="product-index", daemon=True).start()

    def _build_index(self) -> None:
        try:
            oc = _oc()
            product, description = oc.Product, oc.ProductDescription
            watch = None if is_mysql(self.db) else self._sqlite_watch()
            version = watch.version() if watch is not None else None
            mark = self._data_mark() if watch is None else None  # SQLite's: once it answers
            columns = (description.name, product.model, product.sku, product.upc, product.ean)
            builder = IndexBuilder()
            ids = builder.ids
            while True:  # in slices by id: a million rows never sit in the driver at once
                query = self._filtered("", product.product_id, *columns)
                if ids:
                    query = query.where(product.product_id > ids[-1])
                query = query.order_by(product.product_id).limit(self.INDEX_SLICE)
                before = len(ids)
                for row in self.db.execute(query):  # raw column text: what LIKE compares
                    builder.add(row[0], row_text(row[1:]))
                if len(ids) - before < self.INDEX_SLICE:
                    break
            index = builder.build()
            del builder, ids
            with self._lock:
                self._index, self._index_mark = index, mark
                self._checked = time.monotonic()
            if watch is not None:  # what was loaded, unless a commit came meanwhile
                loaded = watch.summary_since(self._sqlite_summary, version)
                with self._lock:
                    if self._index is index:
                        self._index_mark = loaded if loaded is not None else (Unsettled(),)
            index.count_short_filters()  # the first keystrokes' counts
            for key in self._sortable():
                order = self._positions_of(index, self._sort_order(key))
                with self._lock:
                    if self._index is not index:
                        return  # forgotten meanwhile: a newer build follows
                    self._sorted[key] = order
        except Exception as error:  # the database answers the grid itself meanwhile
            _log.warning("product search index not loaded: %s", str(error).split("\n")[0])
        finally:
            with self._lock:
                self._building = False
            if not self.db.is_closed():
                self.db.close()  # this thread's connection

    @staticmethod
    def _positions_of(index: SearchIndex, order: array[int]) -> array[int]:
        """Ids in a sort order -> the index's row positions (ids added since the index was
        loaded are left out: the next reload has them)."""
        ids, count = index.ids, len(index.ids)
        positions = array("i", map(bisect_left, repeat(ids), order))
        if all(map(operator.eq, map(ids.__getitem__, positions), order)) if count else not order:
            return positions
        return array(
            "i", (p for p, i in zip(positions, order, strict=True) if p < count and ids[p] == i)
        )

    def _sort_order(self, key: str) -> array[int]:
        """Every product id in the database's own (key, id) order, streamed."""
        field, _ = self._order(key, False)
        query = self._filtered("", self._id_field()).order_by(*self._ordering(field, False, False))
        sql, params = query.sql()
        order: array[int] = array("i")
        if is_mysql(self.db):
            from pymysql.cursors import SSCursor  # type: ignore[import-untyped]

            cursor = self.db.connection().cursor(SSCursor)  # unbuffered: ids stream
        else:
            cursor = self.db.cursor()
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(10_000):
                order.extend(row[0] for row in rows)
        finally:
            cursor.close()
        return order

    def _data_mark(self) -> tuple[Any, ...]:
        """What moves when the index's rows, counts, search text or sort orders went stale.

        Run every `CHECK_SECONDS` while the grid is used, so it must not read the catalog: on
        a million products the former COUNT/MAX(date_modified) over the grid's rows took
        2.6-4.4 s of MariaDB's CPU (258 ms on SQLite). What the index reads: `oc_product` (ids;
        model, SKU, UPC, EAN searched; price, quantity sorted), `product_description` (name),
        `product_to_store` (the store's rows), `product_to_category` and `category_description`
        (the category column; `mapped_only`), jettui's `jet_product` (Jet status) and, for
        `mapped_only`, `jet_category`. Not specials (the price shown is the product's own) nor
        the product's status (disabled products are listed too). A change to any of them
        counts, whoever makes it: OpenCart's admin, a script, jettui taking stock for an order.

        MySQL/MariaDB (`_mysql_mark`): each MyISAM table's update time and exact row count
        from ``information_schema`` (no row read: under a millisecond), plus COUNT and
        MAX(updated_at) of jettui's own InnoDB tables (every jettui write sets updated_at).
        A table that is not MyISAM has no update time to trust; the products'
        COUNT/MAX(date_modified) over the grid's rows is read for it, as before (OpenCart's
        admin sets date_modified on every edit, descriptions, stores and categories included).
        Those times are to the second: one from the check's own second (or the one before)
        makes the mark :class:`~jettui.store.table_marks.Unsettled`, so an edit later in that
        second is still noticed (one reload too many at worst).

        SQLite (:class:`~jettui.store.table_marks.SqliteWatch`): no table has a change time,
        but `PRAGMA data_version` on a read-only connection of the source's own moves on every
        commit by anyone (O(1)). Only then is `_sqlite_summary` of those tables read (counts
        and sums of row hashes: about 3 s on a million products, against 23 s for the reload
        it may spare, and only after a commit); no time is involved, so no edit is missed. A load reads it once the index answers,
        and keeps it only if nothing was committed since the load began (else the next check
        reloads). A database the watch cannot open (in memory) is summarised at every check.
        """
        if is_mysql(self.db):
            return self._mysql_mark()
        watch = self._sqlite_watch()
        if watch is None:
            return self._sqlite_summary(define_crc(self.db.connection()))
        return watch.summary(self._sqlite_summary)

    def _sqlite_watch(self) -> SqliteWatch | None:
        with self._lock:
            if not self._watch_opened:
                self._watch, self._watch_opened = SqliteWatch.of(self.db), True
            return self._watch

    def _mysql_mark(self) -> tuple[Any, ...]:
        oc, jet = _oc(), _jet()
        if self._tables is None:
            watched = [oc.Product, oc.ProductDescription, oc.ProductToStore]
            watched += [oc.ProductToCategory, oc.CategoryDescription]
            self._tables = MysqlTables([model._meta.table_name for model in watched])
        status = self._tables.status(self.db)
        exact = [status[name] for name in self._tables.names if name in status]
        exact = [table for table in exact if table.exact]
        mark: list[Any] = [(table.name, table.update_time, table.rows) for table in exact]
        unsettled = any(table.recent for table in exact)
        if len(exact) < len(self._tables.names):  # one is not MyISAM: the products' dates
            product = oc.Product
            latest = pw.fn.MAX(product.date_modified)
            recent = latest >= pw.SQL("NOW() - INTERVAL 1 SECOND")
            query = self._select(pw.fn.COUNT(product.product_id), latest, recent, described=False)
            count, modified, modified_recently = query.tuples().execute(self.db)[0]
            mark.append((count, modified))
            unsettled |= bool(modified_recently)
        settled_before = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=2)
        for model in (jet.JetProduct, jet.JetCategory) if self.mapped_only else (jet.JetProduct,):
            query = model.select(pw.fn.COUNT(model.id), pw.fn.MAX(model.updated_at))
            count, updated = query.tuples().execute(self.db)[0]
            mark.append((count, updated))  # jettui's clock (utcnow), to the second
            unsettled |= updated is not None and updated >= settled_before
        return (*mark, Unsettled()) if unsettled else tuple(mark)

    def _sqlite_summary(self, connection: sqlite3.Connection) -> tuple[Any, ...]:
        """Counts and sums of row hashes of what the index reads, on `connection` (which has
        the CRC function): any added, removed or changed row moves a sum."""
        oc, jet = _oc(), _jet()
        product, category = oc.Product, oc.CategoryDescription
        links, JetProduct, JetCategory = oc.ProductToCategory, jet.JetProduct, jet.JetCategory
        key = product.product_id
        description = oc.ProductDescription
        texts = text_crc(
            key, product.model, product.sku, product.upc, product.ean, description.name
        )
        price = pw.Cast(pw.fn.ROUND(product.price * 10000), "INTEGER")
        jet_status = text_crc(
            JetProduct.product_id,
            JetProduct.product_option_value_id,
            JetProduct.status,
            JetProduct.is_archived,
        )
        queries = [
            self._select(
                pw.fn.COUNT(key),
                pw.fn.SUM(texts),  # a CRC with the id in it: no mixing needed
                pw.fn.SUM(mix(key, price)),
                pw.fn.SUM(mix(key, product.quantity)),
            ),
            links.select(
                pw.fn.COUNT(links.product_id), pw.fn.SUM(mix(links.product_id, links.category_id))
            ),
            category.select(
                pw.fn.COUNT(category.category_id),
                pw.fn.SUM(text_crc(category.category_id, category.name)),
            ).where(category.language_id == self.language_id),
            JetProduct.select(pw.fn.COUNT(JetProduct.id), pw.fn.SUM(jet_status)),
        ]
        if self.mapped_only:
            queries.append(
                JetCategory.select(
                    pw.fn.COUNT(JetCategory.id),
                    pw.fn.SUM(mix(JetCategory.id, JetCategory.category_id)),
                )
            )
        mark = []
        for query in queries:
            sql, params = query.sql()
            mark.append(tuple(connection.execute(sql, params).fetchone()))
        return tuple(mark)

    def _page_ids(
        self, filter_text: str, sort_key: str | None, descending: bool, offset: int, limit: int
    ) -> list[tuple[Any, Any]]:
        """From memory when the index (and the sort's order) are loaded."""
        index = self._ready_index()
        by_id = sort_key is None or sort_key == "product_id"
        order = None if by_id else self._sorted.get(str(sort_key))
        if index is None or (order is None and not by_id):
            return super()._page_ids(filter_text, sort_key, descending, offset, limit)
        rows = index.page(filter_text, order, str(sort_key), descending, offset, limit)
        ids = index.ids
        return [(ids[row], None) for row in rows]

    def _ready_index(self) -> SearchIndex | None:
        """The index if it is current; starts a build or a freshness check as needed."""
        index = self._index
        if index is None:
            self._start_index()
            return None
        if time.monotonic() - self._checked > self.CHECK_SECONDS:
            self._checked = time.monotonic()
            threading.Thread(target=self._check_index, daemon=True).start()
        return index

    def _check_index(self) -> None:
        try:
            if self._index_mark is not None and self._data_mark() != self._index_mark:
                self.forget()  # (None: the load's own mark is still being read)
        except (pw.DatabaseError, sqlite3.Error):
            pass
        finally:
            if not self.db.is_closed():
                self.db.close()

    # -- PageSource

    def _filtered(self, filter_text: str, *fields: Any) -> pw.ModelSelect:
        index = self._index if filter_text.strip() else None
        if index is not None and index.count(filter_text) <= self.IN_LIST:
            ids = index.matching_ids(filter_text).tolist()
            return self._select(*fields).where(self._id_field().in_(ids or [0]))
        return super()._filtered(filter_text, *fields)

    def _count(self, filter_text: str) -> int:
        index = self._ready_index()
        if index is not None:
            return index.count(filter_text)
        if filter_text.strip():
            return super()._count(filter_text)
        # Unfiltered, the description (LEFT JOIN on its key) cannot change the count: skip it.
        return self._select(self._id_field(), described=False).count(self.db)

    def ids(self, filter_text: str) -> list[Hashable]:
        index = self._ready_index()
        if index is not None:
            return cast("list[Hashable]", index.matching_ids(filter_text).tolist())
        return super().ids(filter_text)

    def _select(self, *fields: Any, described: bool = True) -> pw.ModelSelect:
        oc = _oc()
        Product, ProductDescription = oc.Product, oc.ProductDescription
        ProductToCategory, ProductToStore = oc.ProductToCategory, oc.ProductToStore
        query = Product.select(*fields).join(
            ProductToStore,
            on=(ProductToStore.product_id == Product.product_id)
            & (ProductToStore.store_id == self.store_id),
        )
        if described:
            query = query.switch(Product).join(
                ProductDescription,
                pw.JOIN.LEFT_OUTER,
                on=(ProductDescription.product_id == Product.product_id)
                & (ProductDescription.language_id == self.language_id),
            )
        if self.mapped_only:
            jet_category = _jet().JetCategory
            mapped = (
                ProductToCategory.select(pw.SQL("1"))
                .join(jet_category, on=jet_category.category_id == ProductToCategory.category_id)
                .where(ProductToCategory.product_id == Product.product_id)
            )
            query = query.where(pw.fn.EXISTS(mapped))
        return query

    def _fields(self) -> list[Any]:
        oc, JetProduct = _oc(), _jet().JetProduct
        Product, ProductToCategory = oc.Product, oc.ProductToCategory
        CategoryDescription = oc.CategoryDescription
        # The simple product's own row (option value 0) comes first; children follow. An
        # archive is known at once (is_archived), before Jet's own status is fetched again.
        archived_or_status = pw.Case(None, [(JetProduct.is_archived, ARCHIVED)], JetProduct.status)
        jet_status = (
            JetProduct.select(archived_or_status)
            # a renamed SKU's retired row keeps -id as its option value: not the product's status
            .where(
                (JetProduct.product_id == Product.product_id)
                & (JetProduct.product_option_value_id >= 0)
            )
            .order_by(JetProduct.product_option_value_id)
            .limit(1)
        )
        category = (
            ProductToCategory.select(pw.fn.MIN(CategoryDescription.name))
            .join(
                CategoryDescription,
                on=(CategoryDescription.category_id == ProductToCategory.category_id)
                & (CategoryDescription.language_id == self.language_id),
            )
            .where(ProductToCategory.product_id == Product.product_id)
        )
        return [
            Product.product_id,
            Product.model,
            oc.ProductDescription.name,
            Product.price,
            Product.quantity,
            jet_status,
            category,
        ]

    def _search(self) -> list[Any]:
        oc = _oc()
        product = oc.Product
        return [oc.ProductDescription.name, product.model, product.sku, product.upc, product.ean]

    def _format(self, row: tuple[Any, ...]) -> Sequence[str]:
        product_id, model, name, price, quantity, jet_status, category = row
        return (
            str(product_id),
            _text(model),
            _text(name),
            _money(price),
            "" if quantity is None else str(quantity),
            jet_status or NOT_SENT,
            _raw_store_text(category),
        )


class ExpandableSource:
    """A source whose rows can be opened: the rows given for a row (a product's variation
    children) are listed right after it. The wrapped source is paged as before (its queries
    untouched); an opened row is remembered by its position in the wrapped order, so the
    openings hold for one filter and sort and are closed when either changes."""

    def __init__(self, base: PageSource) -> None:
        self.base = base
        self._open: dict[int, tuple[Hashable, list[Row]]] = {}  # base index → (id, rows)
        self._key: tuple[str, str | None, bool] | None = None

    @property
    def columns(self) -> Sequence[Column]:
        return self.base.columns

    def __getattr__(self, name: str) -> Any:  # the wrapped source's own settings
        return getattr(self.base, name)

    def is_open(self, row_id: Hashable) -> bool:
        return any(rid == row_id for rid, _ in self._open.values())

    def opened_rows(self) -> list[Row]:
        return [row for _, (_, rows) in sorted(self._open.items()) for row in rows]

    def place(self, index: int) -> tuple[int, int | None]:
        """A grid index → (wrapped index, None) for a wrapped row, or (its parent's wrapped
        index, the position among the parent's rows) for an opened one."""
        shift = 0
        for base_index, (_, rows) in sorted(self._open.items()):
            parent = base_index + shift
            if index <= parent:
                break
            if index <= parent + len(rows):
                return base_index, index - parent - 1
            shift += len(rows)
        return index - shift, None

    def opened(self) -> list[tuple[int, Hashable]]:
        """(wrapped index, row id) of each opened row."""
        return [(index, row_id) for index, (row_id, _) in sorted(self._open.items())]

    def open(self, base_index: int, row_id: Hashable, rows: list[Row]) -> None:
        if rows:
            self._open[base_index] = (row_id, list(rows))

    def close(self, row_id: Hashable) -> None:
        self._open = {k: v for k, v in self._open.items() if v[0] != row_id}

    def _same_query(self, filter_text: str, sort_key: str | None, descending: bool) -> None:
        key = (filter_text, sort_key, descending)
        if self._key is not None and key != self._key:
            self._open.clear()  # the positions were those of another order
        self._key = key

    def count(self, filter_text: str) -> int:
        if self._key is not None and filter_text != self._key[0]:
            self._open.clear()
        return self.base.count(filter_text) + sum(len(r) for _, r in self._open.values())

    def fetch(
        self, filter_text: str, sort_key: str | None, descending: bool, offset: int, limit: int
    ) -> list[Row]:
        self._same_query(filter_text, sort_key, descending)
        base_index, child = self.place(offset)
        out: list[Row] = []
        if child is not None:  # the page starts among a parent's rows
            out += self._open[base_index][1][child:]
            base_index += 1
        rows = self.base.fetch(filter_text, sort_key, descending, base_index, limit)
        for number, row in enumerate(rows, start=base_index):
            if len(out) >= limit:
                break
            out.append(row)
            out += self._open.get(number, (None, []))[1]
        return out[:limit]

    def ids(self, filter_text: str) -> list[Hashable]:
        opened = [row_id for row_id, _ in self.opened_rows()]
        return [*self.base.ids(filter_text), *opened]


def product_child_rows(settings: Any, db: pw.Database, product_id: int) -> list[Row]:
    """The grid rows of a product's variation children, as the upload builds them: SKU (its
    part after the parent's), the option values and the code ("no code": sent with an MPN),
    the shop's price with the options' deltas, the
    stock sent, the Jet status. Row id: ``(product id, child SKU)``. [] for a simple product.
    A product the checks refuse lists the children jettui linked (SKU and status only)."""
    from jettui.services.catalog import validate_products

    JetProduct = _jet().JetProduct
    rows = JetProduct.select(
        JetProduct.merchant_sku, JetProduct.status, JetProduct.is_archived
    ).where((JetProduct.product_id == product_id) & (JetProduct.product_option_value_id > 0))
    status = {r.merchant_sku: ARCHIVED if r.is_archived else r.status for r in rows.execute(db)}
    (check,) = validate_products(settings, [product_id])
    children = check.listings[1:]
    if not children:
        return [
            ((product_id, sku), ("", sku, "", "", "", state or NOT_SENT, ""))
            for sku, state in status.items()
        ]
    out: list[Row] = []
    for child in children:
        body = child.product
        codes = body.get("standard_product_codes") or []
        code = (
            f"{codes[0]['standard_product_code_type']} {codes[0]['standard_product_code']}"
            if codes
            else "no code"  # sent with its MPN: never live
        )
        labels = body.get("product_title", "").rpartition(" - ")[2]
        pricing = child.pricing
        price = Decimal(pricing.get("store_price", "0")) + Decimal(pricing.get("options", "0"))
        quantity = sum(n.get("quantity", 0) for n in child.inventory["fulfillment_nodes"])
        parent = child.parent_sku or ""
        suffix = child.sku[len(parent) :] if parent and child.sku.startswith(parent) else ""
        cells = (
            "",
            f"…{suffix}" if suffix else child.sku,  # the parent's SKU is on the row above
            f"└ {labels} · {code}",
            _money(price),
            str(quantity),
            status.get(child.sku) or NOT_SENT,
            "",
        )
        out.append(((product_id, child.sku), cells))
    return out


class CategorySource(ListSource):
    """Categories of one store as "Parent > Child" paths, with product counts and Jet nodes.

    Shops have hundreds of categories, not thousands: rows are built in Python on each
    `count` (the widget's first call per query) and then filtered and sorted in memory.
    """

    columns = (
        Column("category_id", "ID", 5, align="right", optional=True),
        Column("path", "Category", ratio=3, min_width=24, crop="path"),
        Column("products", "Items", 5, align="right"),
        Column("jet_node", "Jet node", 8, align="right", optional=True),
        Column("jet_path", "Jet category", ratio=2, crop="path"),
    )

    def __init__(self, db: pw.Database, language_id: int, store_id: int) -> None:
        super().__init__(self.columns, [])
        self.db = db
        self.language_id = language_id
        self.store_id = store_id

    def _load(self) -> list[Row]:
        oc, JetCategory = _oc(), _jet().JetCategory
        CategoryDescription, CategoryPath = oc.CategoryDescription, oc.CategoryPath
        CategoryToStore, ProductToCategory = oc.CategoryToStore, oc.ProductToCategory

        names = dict(
            CategoryDescription.select(CategoryDescription.category_id, CategoryDescription.name)
            .where(CategoryDescription.language_id == self.language_id)
            .tuples()
            .execute(self.db)
        )
        in_store = [
            category_id
            for (category_id,) in CategoryToStore.select(CategoryToStore.category_id)
            .where(CategoryToStore.store_id == self.store_id)
            .tuples()
            .execute(self.db)
        ]
        ancestors: dict[int, list[tuple[int, int]]] = {}
        paths = CategoryPath.select(
            CategoryPath.category_id, CategoryPath.path_id, CategoryPath.level
        )
        for category_id, path_id, level in paths.tuples().execute(self.db):
            ancestors.setdefault(category_id, []).append((level, path_id))
        counts = dict(
            ProductToCategory.select(ProductToCategory.category_id, pw.fn.COUNT(pw.SQL("*")))
            .group_by(ProductToCategory.category_id)
            .tuples()
            .execute(self.db)
        )
        jet = {
            category_id: (node_id, node_path)
            for category_id, node_id, node_path in JetCategory.select(
                JetCategory.category_id, JetCategory.jet_node_id, JetCategory.node_path
            )
            .tuples()
            .execute(self.db)
        }
        rows: list[Row] = []
        for category_id in in_store:
            chain = sorted(ancestors.get(category_id, [(0, category_id)]))
            path = " > ".join(names.get(path_id, "?") for _, path_id in chain)
            node_id, node_path = jet.get(category_id, (None, ""))
            cells = (
                str(category_id),
                path,
                str(counts.get(category_id, 0)),
                "" if node_id is None else str(node_id),
                node_path or "",
            )
            rows.append((category_id, cells))
        rows.sort(key=lambda row: row[1][1].casefold())
        return rows

    def count(self, filter_text: str) -> int:
        self._set_rows(self._load())
        return super().count(filter_text)


class JetTableSource(QuerySource):
    """A source over one of jettui's own tables, newest first, optionally narrowed by `where`.

    `MODEL` names the table's model, `FIELDS` its column behind each grid column (in order),
    `SEARCH` the columns the filter matches; `ZERO_IS_BLANK` fields show 0 as "" (no order).
    """

    newest_first = True
    MODEL: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[str, ...]] = ()
    SEARCH: ClassVar[tuple[str, ...]] = ()
    ZERO_IS_BLANK: ClassVar[frozenset[str]] = frozenset({"order_id"})

    def __init__(self, db: pw.Database, **where: Any) -> None:
        super().__init__(db)
        self._where = {key: value for key, value in where.items() if value is not None}

    def _model(self) -> Any:
        return getattr(_jet(), self.MODEL)

    def _id_field(self) -> Any:
        return self._model().id

    def _select(self, *fields: Any) -> pw.ModelSelect:
        model = self._model()
        query = model.select(*fields)
        for name, value in self._where.items():
            field = getattr(model, name)
            is_many = isinstance(value, (list, tuple, set, frozenset))
            query = query.where(field.in_(list(value)) if is_many else field == value)
        return query

    def _fields(self) -> list[Any]:
        model = self._model()
        fields = [getattr(model, name) for name in self.FIELDS]
        return [
            pw.fn.NULLIF(field, 0) if name in self.ZERO_IS_BLANK else field
            for name, field in zip(self.FIELDS, fields, strict=True)
        ]

    def _search(self) -> list[Any]:
        model = self._model()
        return [getattr(model, name) for name in self.SEARCH]


class FileSource(JetTableSource):
    """Bulk files sent to Jet; `with_errors=True` gives the rejected-files grid."""

    MODEL = "JetFile"
    FIELDS = ("created_at", "file_type", "file_name", "status", "sku_count", "error_count")
    SEARCH = ("jet_file_id", "file_type", "file_name", "status")
    columns = (
        Column("created", "Created", 16),
        Column("file_type", "Type", 12),
        Column("file_name", "File"),
        Column("status", "Status", 12, short=short_status),
        Column("sku_count", "SKUs", 6, align="right"),
        Column("error_count", "Errors", 6, align="right"),
    )

    def __init__(self, db: pw.Database, *, with_errors: bool = False) -> None:
        super().__init__(db)
        self.with_errors = with_errors

    def _select(self, *fields: Any) -> pw.ModelSelect:
        query = super()._select(*fields)
        return query.where(self._model().error_count > 0) if self.with_errors else query


class EventSource(JetTableSource):
    """The log: what was sent and received. Narrow with `kind=` / `level=` / `ref=`."""

    MODEL = "JetEvent"
    FIELDS = ("time", "level", "kind", "ref", "message")
    SEARCH = ("kind", "ref", "message", "level")
    columns = (
        Column("time", "Time", 16),
        Column("level", "Level", 7),
        Column("kind", "Kind", 10),
        Column("ref", "Ref", 14, optional=True),  # api rows repeat it in the message: first to go
        Column("message", "Message", min_width=40),
    )

    def __init__(
        self,
        db: pw.Database,
        *,
        kind: str | Sequence[str] | None = None,
        level: str | Sequence[str] | None = None,
        ref: str | None = None,
    ) -> None:
        super().__init__(db, kind=kind, level=level, ref=ref)


class JobRunSource(JetTableSource):
    """Cron and by-hand job runs, newest first; `job=` narrows to one job."""

    MODEL = "JetJobRun"
    FIELDS = ("started_at", "job", "result", "items_ok", "items_failed", "message")
    SEARCH = ("job", "result", "message")
    columns = (
        Column("started", "Started", 16),
        Column("job", "Job", 14),
        Column("result", "Result", 8),
        Column("items_ok", "OK", 5, align="right"),
        Column("items_failed", "Failed", 6, align="right"),
        Column("message", "Message"),
    )

    def __init__(self, db: pw.Database, *, job: str | None = None) -> None:
        super().__init__(db, job=job)
