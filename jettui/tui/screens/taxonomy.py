"""Pick a Jet taxonomy node from the local cache: type to filter, enter picks, escape cancels.
Below the list: the highlighted node's Jet attributes with the values and units Jet allows."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from jettui.services.categories import TaxonomySource
from jettui.tui.widgets.bulk_table import BulkTable, int_id

if TYPE_CHECKING:
    from jettui.tui.app import JettuiApp

EMPTY_TEXT = "The Jet taxonomy is not cached yet: press esc, then T to fetch Jet's taxonomy."


class TaxonomyPicker(ModalScreen[int | None]):
    """Dismisses with the picked node id (None when cancelled)."""

    DEFAULT_CSS = """
    TaxonomyPicker { align: center middle; }
    #taxonomy-box {
        width: 90%; height: 85%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    #taxonomy-box BulkTable { height: 1fr; }
    #taxonomy-message { color: $text-muted; }
    #taxonomy-attributes { height: auto; max-height: 6; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="taxonomy.cancel"),
    ]

    app: JettuiApp

    def __init__(self, title: str) -> None:
        super().__init__(id="taxonomy-picker")
        self._title = title
        self._shown: object = None  # the node whose attributes are shown

    def compose(self) -> ComposeResult:
        with Vertical(id="taxonomy-box"):
            yield Static(
                f"{self._title} — type to filter, ↓ to the list, enter picks, esc cancels",
                markup=False,
            )
            yield Input(placeholder="Jet category or node id", id="taxonomy-filter")
            yield Static("Loading the Jet taxonomy cache…", id="taxonomy-message")
            yield Static("", id="taxonomy-attributes", markup=False)

    def on_mount(self) -> None:
        self.query_one("#taxonomy-filter", Input).focus()
        self._load()
        self.set_interval(0.2, self._follow_cursor)

    @work(exclusive=True, group="taxonomy-load", exit_on_error=False)
    async def _load(self) -> None:
        # TaxonomySource reads the cache in count(""), and BulkTable asks for rows before it
        # counts: fill the source here (off the event loop) so its first fetch finds rows.
        try:
            source, cached = await asyncio.to_thread(self._open_source)
        except Exception as exc:  # the store is unreachable: one line, never a traceback
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._message(f"Cannot read the store: {first[:200]}")
            return
        self._show(source, cached)

    def _open_source(self) -> tuple[TaxonomySource, int]:
        source = TaxonomySource(self.app.database())
        return source, source.count("")

    def _message(self, text: str) -> None:
        message = self.query_one("#taxonomy-message", Static)
        message.update(self.app.redact(text))
        message.display = True

    def _show(self, source: TaxonomySource, cached: int) -> None:
        if not cached:
            self._message(EMPTY_TEXT)
            return
        self.query_one("#taxonomy-message").display = False
        table = BulkTable(source, id="taxonomy-table")
        table.filter_text = self.query_one("#taxonomy-filter", Input).value
        self.query_one("#taxonomy-box").mount(table, before="#taxonomy-attributes")

    @property
    def table(self) -> BulkTable | None:
        tables = self.query(BulkTable)
        return tables.first() if tables else None

    @on(Input.Changed, "#taxonomy-filter")
    def _filter(self, event: Input.Changed) -> None:
        if (table := self.table) is not None:
            table.filter_text = event.value

    @on(Input.Submitted, "#taxonomy-filter")
    def _submit(self, event: Input.Submitted) -> None:
        table = self.table
        node_id = table.cursor_id if table is not None else None
        if node_id is None:  # an empty cache, no match, or rows still on their way
            self.notify("Nothing to pick: no Jet category listed.", severity="warning")
            return
        self.dismiss(int_id(node_id))

    def on_key(self, event: events.Key) -> None:  # down from the filter moves into the list
        table = self.table
        if event.key == "down" and table is not None and self.focused is self.query_one(Input):
            event.stop()
            table.focus()

    def _follow_cursor(self) -> None:
        """Show the attributes of the highlighted node when it changes (filter, keys, rows
        arriving): a cheap check of the cursor; the store is read only for a new node."""
        table = self.table
        node_id = table.cursor_id if table is not None else None
        if node_id != self._shown:
            self._shown = node_id
            if node_id is None:
                self._show_attributes("")
            else:
                self._attributes(int_id(node_id))

    @work(exclusive=True, group="taxonomy-attributes", exit_on_error=False)
    async def _attributes(self, node_id: int) -> None:
        """The node's attributes, values and units (one a line), read off the event loop."""
        try:
            text = await asyncio.to_thread(self._attributes_text, node_id)
        except Exception:  # noqa: BLE001 - the list itself says when the store is gone
            return
        self._show_attributes(text)

    def _attributes_text(self, node_id: int) -> str:
        from jettui.services.catalog.attributes import describe_all
        from jettui.services.categories import get_node

        self.app.database()
        node = get_node(None, node_id)
        lines = describe_all(node.attributes) if node is not None else []
        return "\n".join(lines) if lines else "No Jet attributes cached for this node."

    def _show_attributes(self, text: str) -> None:
        self.query_one("#taxonomy-attributes", Static).update(text)

    @on(BulkTable.RowActivated)
    def _picked(self, event: BulkTable.RowActivated) -> None:
        event.stop()
        self.dismiss(int_id(event.row_id))

    def action_cancel(self) -> None:
        self.dismiss(None)
