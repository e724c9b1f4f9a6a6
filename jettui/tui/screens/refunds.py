"""Refunds: merchant-initiated refunds and the state Jet reports."""

from __future__ import annotations

from jettui.services.listing import RefundSource
from jettui.tui.screens.base import GridPanel, later


class RefundsScreen(GridPanel):
    PANEL_ID = "refunds"
    DETAIL_TITLE_KEY = "refund_id"
    EMPTY_TEXT = "No refunds yet — press c to refund an order, or run `jettui refunds create`."
    SOURCE = RefundSource
    BINDINGS = [
        later("c", "Creating a refund", "Create refund", "refunds.create",
              headless="jettui refunds create ...", show=True),
        later("f", "Fetching refund states", "Fetch states", "refunds.fetch"),
    ]  # fmt: skip
