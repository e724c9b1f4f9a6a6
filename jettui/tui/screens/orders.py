"""Orders: Jet orders and the OpenCart order each became."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from jettui.services.listing import OrderSource, PageSource
from jettui.store.jet_tables import JET_ORDER_STATES
from jettui.tui.screens.base import GridPanel

REJECTED = ("failed", "rejected")  # import ledger states shown on the rejected-orders panel
IMPORTED = tuple(state for state in JET_ORDER_STATES if state not in REJECTED)


class OrdersScreen(GridPanel):
    PANEL_ID = "orders"
    DETAIL_TITLE_KEY = "merchant_order_id"
    EMPTY_TEXT = "No Jet orders yet — run `jettui cron fetch-orders` or press f to fetch them."
    BINDINGS: ClassVar[list[Binding]] = [
        Binding(
            "f",
            "not_available('Fetching orders', 'jettui cron fetch-orders')",
            "Fetch orders",
            id="orders.fetch",
        ),
        Binding(
            "c",
            "not_available('Acknowledging', 'jettui cron acknowledge')",
            "Acknowledge",
            show=False,
            id="orders.acknowledge",
        ),
        Binding(
            "x", "not_available('Rejecting an order')", "Reject", show=False, id="orders.reject"
        ),
        Binding(
            "p",
            "not_available('Shipping', 'jettui orders ship JET_ORDER_ID ...')",
            "Ship",
            show=False,
            id="orders.ship",
        ),
    ]

    def make_source(self, db: object) -> PageSource:
        return OrderSource(db, state=IMPORTED)
