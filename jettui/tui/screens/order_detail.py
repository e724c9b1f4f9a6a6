"""Detail of one Jet order, return or refund (enter on a row): every field of the service's
read model, its lists (lines, history, shipments...) as tables. Read in a worker; escape
closes. The same screen serves the three panels: each passes a loader."""

from __future__ import annotations

import asyncio
import datetime as _dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from jettui.errors import one_line

if TYPE_CHECKING:
    from jettui.tui.app import JettuiApp

#: (db, id, settings) -> the read model (a dict), on a thread
Loader = Callable[[Any, str, Any], Mapping[str, Any]]
MAX_ROWS = 200  # rows of one list shown (history of a busy order...)


#: field names whose plain reading would mislead ("order id" is OpenCart's, not Jet's)
LABELS = {
    "merchant_order_id": "Jet order id",
    "reference_order_id": "Jet reference",
    "order_id": "OpenCart order",
    "oc_return_ids": "OpenCart returns",
    "return_id": "Jet return id",
    "ack_deadline": "Acknowledge by",
    "ack_seconds_left": "Seconds left",
    "oc_status": "OpenCart status",
    "oc_totals": "OpenCart totals",
    "oc_shipments": "OpenCart shipments",
}


def _label(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").capitalize()


_ZERO = _dt.timedelta(0)
_ISO = re.compile(r"^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d)(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and (iso := _ISO.match(value)):
        zone = iso.group(5) or ""
        utc = " UTC" if zone in ("Z", "+00:00", "+0000") else (f" {zone}" if zone else "")
        return f"{iso.group(1)} {iso.group(2)}{utc}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple) and not any(isinstance(v, Mapping) for v in value):
        return ", ".join(_plain(v) for v in value) or "—"
    if isinstance(value, _dt.datetime):  # formatted, never a text edit: a SKU keeps its "T"
        return value.strftime("%Y-%m-%d %H:%M") + (" UTC" if value.utcoffset() == _ZERO else "")
    if isinstance(value, _dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _as_dict(value: Any) -> Mapping[str, Any] | None:
    if isinstance(value, Mapping):
        return value
    as_dict = getattr(value, "as_dict", None)
    return as_dict() if callable(as_dict) else None


def render_detail(detail: Mapping[str, Any]) -> RenderableType:
    """Scalars as a two-column table, then each list of records as a titled table."""
    fields = Table(show_header=False, box=None, expand=True)
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(ratio=1, overflow="fold")
    parts: list[RenderableType] = [fields]
    for key, value in detail.items():
        records = None
        if isinstance(value, list | tuple) and value:
            converted = [_as_dict(v) for v in value]
            if all(c is not None for c in converted):
                records = converted
        if records is None:
            fields.add_row(_label(key), Text(_plain(value)))
            continue
        parts.append(RecordsView(_label(key), records))  # type: ignore[arg-type]
    return Group(*parts)


CELL_CAP = 16  # a column wider than this may wrap its cells; narrower is a squeeze
CELL_EDGES = 3  # a boxed table's border and padding per column


class RecordsView:
    """A titled list of records: a table when its columns fit the width they get, else each
    record stacked as label/value rows (readable at 80 and 60 columns: no 4-character
    columns, no SKU broken over lines)."""

    def __init__(self, title: str, records: Sequence[Mapping[str, Any]]) -> None:
        self.title = title
        self.records = records[:MAX_ROWS]
        self.total = len(records)
        self.columns: list[str] = []
        for record in records:
            self.columns += [k for k in record if k not in self.columns]
        self.cells = [[_plain(r.get(c)) for c in self.columns] for r in self.records]

    def needed_width(self) -> int:
        """Columns as wide as their longest header word and cell (cells up to CELL_CAP)."""
        width = 1
        for n, column in enumerate(self.columns):
            words = max((len(w) for w in _label(column).split()), default=1)
            cell = max((len(row[n]) for row in self.cells), default=1)
            width += max(words, min(cell, CELL_CAP)) + CELL_EDGES
        return width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.needed_width() <= options.max_width:
            yield self.table()
        else:
            yield self.stacked()

    def _caption(self) -> str | None:
        return f"first {MAX_ROWS} of {self.total}" if self.total > MAX_ROWS else None

    def table(self) -> Table:
        table = Table(title=self.title, title_justify="left", title_style="bold", expand=True)
        for column in self.columns:
            table.add_column(_label(column), overflow="fold")
        for row in self.cells:
            table.add_row(*(Text(cell) for cell in row))
        table.caption = self._caption()
        return table

    def stacked(self) -> Table:
        """One block per record: its number, then each field on its own row."""
        table = Table(
            title=self.title, title_justify="left", title_style="bold", show_header=False,
            box=box.SIMPLE_HEAD, expand=True, show_edge=False, padding=(0, 1),
        )  # fmt: skip
        table.add_column(style="dim", no_wrap=True, justify="right")
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for n, row in enumerate(self.cells, 1):
            for first, (column, cell) in enumerate(zip(self.columns, row, strict=True)):
                number = f"{n}" if first == 0 else ""
                table.add_row(number, _label(column), Text(cell))
            if n < len(self.cells):
                table.add_section()
        table.caption = self._caption()
        return table


class RecordDetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="record-detail.close"),
        Binding("down,j", "scroll(2)", "Down", show=False, id="record-detail.down"),
        Binding("up,k", "scroll(-2)", "Up", show=False, id="record-detail.up"),
        Binding("pagedown", "scroll(15)", "Page down", show=False, id="record-detail.pgdn"),
        Binding("pageup", "scroll(-15)", "Page up", show=False, id="record-detail.pgup"),
    ]
    DEFAULT_CSS = """
    RecordDetailScreen { align: center middle; }
    RecordDetailScreen #record-box { height: 100%; width: 100%; border: round $primary;
                                   background: $surface; }
    RecordDetailScreen #record-title { text-style: bold; padding: 0 1; background: $panel; }
    RecordDetailScreen #record-body { height: 1fr; padding: 0 1; }
    """

    app: JettuiApp

    def __init__(self, title: str, record_id: str, loader: Loader) -> None:
        super().__init__(id="record-detail")
        self._title = title
        self.record_id = record_id
        self._loader = loader
        self.detail: Mapping[str, Any] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="record-box"):
            yield Static(f"{self._title}: {self.record_id}", id="record-title", markup=False)
            with VerticalScroll(id="record-body"):
                yield Static("Loading…", id="record-content")
            yield Static(Text("↑↓ scroll · escape closes", style="dim"), id="record-hint")

    def on_mount(self) -> None:
        self.load()

    def action_scroll(self, lines: int) -> None:
        body = self.query_one("#record-body", VerticalScroll)
        body.scroll_to(y=body.scroll_y + lines, animate=False)

    @work(group="record-detail", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        def read() -> Mapping[str, Any]:
            return self._loader(self.app.database(), self.record_id, self.app.settings)

        content = self.query_one("#record-content", Static)
        try:
            detail = await asyncio.to_thread(read)
        except Exception as exc:  # noqa: BLE001 - store failure or gone: one line
            content.update(Text(self.app.redact(f"Cannot read it: {one_line(exc)[:200]}")))
            return
        self.detail = detail
        content.update(render_detail(_redacted(self.app, detail)))


def _redacted(app: JettuiApp, detail: Mapping[str, Any]) -> Mapping[str, Any]:
    """Texts of the read model with any secret masked (Jet's words, never ours)."""

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            return app.redact(value)
        if isinstance(value, Mapping):
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [scrub(v) for v in value]
        return value

    return scrub(detail)


def load_order(db: Any, merchant_order_id: str, settings: Any) -> Mapping[str, Any]:
    from jettui.services.orders import deadlines
    from jettui.services.orders.queries import order_detail

    detail = order_detail(db, merchant_order_id, settings=settings, now=deadlines.clock())
    if detail is None:
        raise LookupError(f"no Jet order '{merchant_order_id}' in jettui")
    shown = dict(_as_dict(detail) or {})
    if shown.get("account"):
        shown["account"] = [_account_row(a) for a in shown["account"]]
    return shown


def _account_row(line: Mapping[str, Any]) -> dict[str, Any]:
    """One line's account in short columns that fit 80 columns: the SKU (with the end of Jet's
    order_item_id: one SKU may be on two lines), units ordered, shipped, cancelled, returned,
    refunded and still refundable, then the dollars refunded (``orders show`` has it all)."""
    return {
        "line": f"{line['merchant_sku']} …{str(line['order_item_id'])[-4:]}",
        "ord": line["ordered"],
        "ship": line["shipped"],
        "canc": line["cancelled"],
        "ret": line["returned"],
        "refd": line["refunded"],
        "left": line["refundable"],
        "$ refunded": line["refunded_dollars"],
    }


def OrderDetailScreen(merchant_order_id: str) -> RecordDetailScreen:  # noqa: N802 - a screen
    """The order detail: lines, totals, history, shipments, time left to acknowledge."""
    return RecordDetailScreen("Order", merchant_order_id, load_order)
