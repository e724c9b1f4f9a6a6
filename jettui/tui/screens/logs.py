"""Logs: what was sent to and received from Jet, per product, order, file and job.

The filter line narrows the event log (``sku:A1 order:123 file:F job:sync level:warning
since:2h``, the same filters as `jettui logs`; ``order:`` takes the order's id, its reference id
or an unambiguous prefix); the grid's own ``/`` search still works on top. The filter line and
the rows never disagree: a filter that cannot be applied shows no rows, only its one-line
error, until the line is fixed.
Enter on a row shows it whole, with the Jet call's request and response bodies (secrets
redacted, large bodies cut with their size said: :mod:`jettui.services.jet_session`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.widgets import Input

from jettui.services.listing import Column, EventSource, PageSource
from jettui.services.logs import (
    EventFilter,
    describe_filter,
    event_conditions,
    parse_filter,
    resolved,
)
from jettui.text_safety import safe_text
from jettui.tui.screens.base import GridPanel, NotAvailable
from jettui.tui.screens.detail import RowDetailScreen
from jettui.tui.widgets.bulk_table import BulkTable

if TYPE_CHECKING:
    import peewee as pw

FILTER_HINT = "filter: sku:… order:… file:… job:… level:warning since:2h  (f)"
BODY_COLUMNS = (
    Column("request", "Request"),
    Column("response", "Response"),
    Column("call", "Call"),
)


class LogSource(EventSource):
    """The event log narrowed by an :class:`EventFilter` (SKU, order and file match the row's
    ref or a Jet path naming them)."""

    def __init__(self, db: Any, where: EventFilter) -> None:
        super().__init__(db)
        self.where = where

    def _select(self, *fields: Any) -> Any:
        query = super()._select(*fields)
        for condition in event_conditions(self.where):
            query = query.where(condition)
        return query


class LogsScreen(GridPanel):
    PANEL_ID = "logs"
    DETAIL_TITLE_KEY = "time"
    EMPTY_TEXT = (
        "No log entries yet — every call to Jet (secrets redacted) is recorded here once"
        " jettui talks to Jet: upload products or run `jettui cron all`."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Refresh", id="logs.refresh"),
        Binding("f", "focus_filter", "Filter by", id="logs.filter"),
    ]

    where = EventFilter()
    filter_error = ""  # the filter line's text cannot be applied: no rows, this line instead

    def compose_top(self) -> ComposeResult:
        yield Input(placeholder=FILTER_HINT, id="log-filter", compact=True)

    def make_source(self, db: pw.Database) -> PageSource:
        if not self.app.settings.log.enabled:
            raise NotAvailable("Logging is off (log.enabled: false) — turn it on in Configuration.")
        if self.filter_error:
            raise NotAvailable(self.filter_error)
        try:  # order: its full id from a prefix or the reference id (a worker thread)
            return LogSource(db, resolved(self.where))
        except LookupError as exc:
            raise NotAvailable(markup_safe(f"Filter not applied: {exc}")) from None

    def show_source(self, source: PageSource, count: int) -> None:
        if count == 0 and self.where != EventFilter():
            self.show_text(markup_safe(f"No log rows match {describe_filter(self.where)}."))
            return
        super().show_source(source, count)

    def action_focus_filter(self) -> None:
        self.query_one("#log-filter", Input).focus()

    @on(Input.Submitted, "#log-filter")
    def _filter(self, event: Input.Submitted) -> None:
        from jettui.services.status import clock

        event.stop()
        try:
            self.where, self.filter_error = parse_filter(event.value, clock()), ""
        except ValueError as exc:  # no rows of an older filter under this text
            self.filter_error = markup_safe(f"Filter not applied: {exc}")
            self.show_text(self.filter_error)
            return
        self.load()
        for table in self.query(BulkTable):
            table.focus()

    @on(BulkTable.RowActivated)
    def _show_detail(self, event: BulkTable.RowActivated) -> None:
        """The row whole, with the call's bodies (read from the store in a worker); replaces
        the grid's detail (prevent_default: the base class's handler does not run)."""
        event.stop()
        event.prevent_default()
        self._open_detail(event.row_id, list(event.table.source.columns), list(event.cells))

    @work(group="log-detail", exit_on_error=False)
    async def _open_detail(self, row_id: Hashable, columns: list[Column], cells: list[str]) -> None:
        detail = await asyncio.to_thread(self._event_detail, row_id)
        extra = [
            _body(detail, "request"),
            _body(detail, "response"),
            _call(detail),
        ]
        title = f"{self.title}: {cells[0]}" if cells else str(self.title)
        screen = RowDetailScreen(title, [*columns, *BODY_COLUMNS], [*cells, *extra])
        self.app.push_screen(screen)

    def _event_detail(self, row_id: Hashable) -> dict[str, Any]:
        """The event row's detail (a worker thread: it reads the store)."""
        from jettui.store.jet_tables import JetEvent

        self.app.database()
        row = JetEvent.get_or_none(JetEvent.id == row_id)
        return row.detail if row is not None and isinstance(row.detail, dict) else {}


def markup_safe(text: str) -> str:
    """Typed or stored text for the panel's text line: inert (:func:`safe_text`) and never
    read as markup (the line is a markup Static)."""
    return escape(safe_text(text))


def _body(detail: dict[str, Any], which: str) -> str:
    body = detail.get(f"{which}_body")
    size = detail.get(f"{which}_bytes")
    if not body:
        return "" if not size else f"({size} bytes, not kept)"
    return str(body)


def _call(detail: dict[str, Any]) -> str:
    if "method" not in detail:
        return ""
    status = detail.get("status") or detail.get("error") or "no answer"
    return (
        f"{detail['method']} {detail.get('path', '')} → {status} in "
        f"{detail.get('duration_ms', 0)} ms, attempt {detail.get('attempt', 1)}"
    )
