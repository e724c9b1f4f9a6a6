"""Orders: Jet orders and the OpenCart order each became.

f fetches (the fetch-orders job: new ready orders imported, Jet statuses refreshed); c
acknowledges the selected orders (or the one under the cursor); p opens the ship form of the
order under the cursor; r re-reads the grid; enter opens the order detail (lines, history,
shipments). The Ack-left column counts down ``orders.acknowledge_within_minutes`` from the
moment Jet made the order ready (services.orders.deadlines) and turns to ``! 3m`` near the end
and ``late`` past it (text and highlight, for 16 colours too).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from jettui.services import status
from jettui.services.listing import PageSource
from jettui.services.orders.panels import REJECTED_STATES, OrderSource, jet_order_ids
from jettui.store.jet_tables import JET_ORDER_STATES
from jettui.tui.screens.base import GridTable
from jettui.tui.screens.panel_actions import ActionPanel, plural
from jettui.tui.widgets.bulk_table import BulkTable, int_id

if TYPE_CHECKING:
    import peewee as pw

#: import ledger states shown on the orders grid (the others are on Rejected orders)
IMPORTED = tuple(state for state in JET_ORDER_STATES if state not in REJECTED_STATES)
REJECTED = REJECTED_STATES


class OrdersScreen(ActionPanel):
    PANEL_ID = "orders"
    DETAIL_TITLE_KEY = "merchant_order_id"
    EMPTY_TEXT = "No Jet orders yet — press f to fetch them (headless: `jettui cron fetch-orders`)."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "fetch", "Fetch orders", id="orders.fetch"),
        Binding("c", "acknowledge", "Acknowledge", id="orders.acknowledge"),
        Binding("p", "ship", "Ship", id="orders.ship"),
        Binding("r", "refresh", "Refresh", show=False, id="orders.refresh"),
    ]
    HELP_NOTES = (
        "Orders (enter shows the order: lines, history, shipments)",
        (
            ("Ack left", "time left to acknowledge a ready order; '! 3m' near the end, 'late'"),
            ("c", "acknowledge the selected orders, or the one under the cursor"),
            ("p", "ship and/or cancel units of the order under the cursor"),
            ("Rejected", "orders that could not be created are on Rejected orders (4)"),
        ),
    )

    #: the Ack-left cells and the header are re-read together this often while shown
    TICK_SECONDS: ClassVar[float] = 30.0
    _moment: dt.datetime | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(self.TICK_SECONDS, self._tick, name="orders-tick")

    def _tick(self) -> None:
        if self.app.screen is self:  # not behind a dialog or another panel
            self.reload_rows()

    def make_source(self, db: pw.Database) -> PageSource:
        source = OrderSource(db, state=IMPORTED, settings=self.app.settings)
        source.now = self._moment
        return source

    def pin_moment(self) -> dt.datetime:
        """One moment for every Ack-left cell and the header's "to ack ... in Xm"."""
        self._moment = status.clock().replace(tzinfo=dt.UTC)  # the header's clock
        for table in self.query(GridTable):
            if isinstance(table.source, OrderSource):
                table.source.now = self._moment
        return self._moment

    def action_fetch(self) -> None:
        self.start_job("fetch-orders")

    def action_refresh(self) -> None:
        self.reload_rows()

    def action_acknowledge(self) -> None:
        row_ids = [int_id(i) for i in self.targets()]
        if not row_ids:
            self.tell("No order to acknowledge.", "warning")
            return

        async def acknowledge(settings: Any, db: Any, progress: Callable[[int, int], None]) -> Any:
            from jettui.services.orders.acknowledge import acknowledge_orders

            jet_ids = await asyncio.to_thread(jet_order_ids, db, row_ids)
            return await acknowledge_orders(settings, db, jet_ids)

        question = f"Acknowledge {plural(len(row_ids), 'order')} on Jet (accepted)?"
        self.run_items("Acknowledge", question, acknowledge)

    def action_ship(self) -> None:
        from jettui.tui.screens.ship_form import ShipFormScreen

        cursor = self.cursor_id()
        if cursor is None:
            self.tell("No order to ship.", "warning")
            return

        def closed(shipped: bool | None) -> None:
            if shipped:
                self.reload_rows()

        self.app.push_screen(ShipFormScreen(int_id(cursor)), closed)

    @on(BulkTable.RowActivated)
    def _open_order(self, event: BulkTable.RowActivated) -> None:
        from jettui.tui.screens.order_detail import OrderDetailScreen

        event.prevent_default()  # instead of the generic row detail
        event.stop()
        self.app.push_screen(OrderDetailScreen(str(event.cells[0])))
