"""Rejected orders: Jet orders that could not become OpenCart orders."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from jettui.services.listing import OrderSource, PageSource
from jettui.tui.screens.base import GridPanel
from jettui.tui.screens.orders import REJECTED


class RejectedOrdersScreen(GridPanel):
    PANEL_ID = "rejected_orders"
    DETAIL_TITLE_KEY = "merchant_order_id"
    EMPTY_TEXT = (
        "No rejected orders — Jet orders that cannot be created in OpenCart (unknown SKU,"
        " no stock) land here when `jettui cron fetch-orders` runs."
    )
    BINDINGS: ClassVar[list[Binding]] = [
        Binding(
            "f",
            "not_available('Fetching orders', 'jettui cron fetch-orders')",
            "Fetch orders",
            id="rejected-orders.fetch",
        ),
        Binding(
            "r",
            "not_available('Retrying a rejected order')",
            "Retry",
            show=False,
            id="rejected-orders.retry",
        ),
    ]

    def make_source(self, db: object) -> PageSource:
        return OrderSource(db, state=REJECTED)
