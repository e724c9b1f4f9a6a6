"""Orders: Jet orders and the OpenCart order each became."""

from __future__ import annotations

from functools import partial

from jettui.services.listing import OrderSource
from jettui.store.jet_tables import JET_ORDER_STATES
from jettui.tui.screens.base import GridPanel, later

REJECTED = ("failed", "rejected")  # import ledger states shown on the rejected-orders panel
IMPORTED = tuple(state for state in JET_ORDER_STATES if state not in REJECTED)


class OrdersScreen(GridPanel):
    PANEL_ID = "orders"
    DETAIL_TITLE_KEY = "merchant_order_id"
    EMPTY_TEXT = "No Jet orders yet — run `jettui cron fetch-orders` or press f to fetch them."
    SOURCE = partial(OrderSource, state=IMPORTED)
    BINDINGS = [
        later("f", "Fetching orders", "Fetch orders", "orders.fetch",
              headless="jettui cron fetch-orders", show=True),
        later("c", "Acknowledging", "Acknowledge", "orders.acknowledge",
              headless="jettui cron acknowledge"),
        later("x", "Rejecting an order", "Reject", "orders.reject"),
        later("p", "Shipping", "Ship", "orders.ship",
              headless="jettui orders ship JET_ORDER_ID ..."),
    ]  # fmt: skip
