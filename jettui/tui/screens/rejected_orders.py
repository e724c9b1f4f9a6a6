"""Rejected orders: Jet orders that could not become OpenCart orders, with the reason.

``held`` orders (``orders.hold_problem_orders``) wait for the merchant: fix the cause in the
store (the SKU, the stock), then r retries the import; x rejects them on Jet with the matching
acknowledgement. f fetches orders (the fetch-orders job)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType

from jettui.services.listing import PageSource
from jettui.services.orders.panels import RejectedOrderSource, jet_order_ids
from jettui.tui.screens.panel_actions import ActionPanel, as_items, plural
from jettui.tui.widgets.bulk_table import BulkTable, int_id

if TYPE_CHECKING:
    import peewee as pw


async def _call(fn: Callable[..., Any], *args: Any) -> Any:
    """Call a service function, awaiting it when it is a coroutine function."""
    result = fn(*args)
    return await result if inspect.isawaitable(result) else result


class RejectedOrdersScreen(ActionPanel):
    PANEL_ID = "rejected_orders"
    DETAIL_TITLE_KEY = "merchant_order_id"
    EMPTY_TEXT = (
        "No rejected orders — Jet orders that cannot be created in OpenCart (unknown SKU,"
        " no stock) are listed here with the reason when orders are fetched (f)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "fetch", "Fetch orders", id="rejected-orders.fetch"),
        Binding("r", "retry", "Retry", id="rejected-orders.retry"),
        Binding("x", "reject", "Reject on Jet", id="rejected-orders.reject"),
    ]

    def make_source(self, db: pw.Database) -> PageSource:
        return RejectedOrderSource(db)

    def action_fetch(self) -> None:
        self.start_job("fetch-orders")

    def action_retry(self) -> None:
        self._each("Retry", "retry_order", "Import {} into OpenCart again?")

    def action_reject(self) -> None:
        self._each("Reject on Jet", "reject_order", "Reject {} on Jet? Jet cancels them.")

    def _each(self, title: str, function: str, question: str) -> None:
        row_ids = [int_id(i) for i in self.targets()]
        if not row_ids:
            self.tell("No order selected.", "warning")
            return

        async def run(settings: Any, db: Any, progress: Callable[[int, int], None]) -> Any:
            from jettui.services.orders import importer

            fn = getattr(importer, function)
            jet_ids = await asyncio.to_thread(jet_order_ids, db, row_ids)
            results = []
            for done, jet_id in enumerate(jet_ids, 1):
                results.extend(as_items(await _call(fn, settings, db, jet_id)))
                progress(done, len(jet_ids))
            return results

        self.run_items(title, question.format(plural(len(row_ids), "order")), run)

    @on(BulkTable.RowActivated)
    def _open_order(self, event: BulkTable.RowActivated) -> None:
        from jettui.tui.screens.order_detail import OrderDetailScreen

        event.prevent_default()  # the order in full (reason, lines, warnings), not the row
        event.stop()
        self.app.push_screen(OrderDetailScreen(str(event.cells[0])))
