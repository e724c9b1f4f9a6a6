"""Rejected orders: Jet orders that could not become OpenCart orders."""

from __future__ import annotations

from functools import partial

from jettui.services.listing import OrderSource
from jettui.tui.screens.base import GridPanel, later
from jettui.tui.screens.orders import REJECTED


class RejectedOrdersScreen(GridPanel):
    PANEL_ID = "rejected_orders"
    DETAIL_TITLE_KEY = "merchant_order_id"
    EMPTY_TEXT = (
        "No rejected orders — Jet orders that cannot be created in OpenCart (unknown SKU,"
        " no stock) land here when `jettui cron fetch-orders` runs."
    )
    SOURCE = partial(OrderSource, state=REJECTED)
    BINDINGS = [
        later("f", "Fetching orders", "Fetch orders", "rejected-orders.fetch",
              headless="jettui cron fetch-orders", show=True),
        later("r", "Retrying a rejected order", "Retry", "rejected-orders.retry"),
    ]  # fmt: skip
