"""Refunds: merchant-initiated refunds and the state Jet reports."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from jettui.services.listing import PageSource
from jettui.tui.screens.base import GridPanel
from jettui.tui.sources import RefundSource


class RefundsScreen(GridPanel):
    PANEL_ID = "refunds"
    DETAIL_TITLE_KEY = "refund_id"
    EMPTY_TEXT = "No refunds yet — press c to refund an order, or run `jettui refunds create`."
    BINDINGS: ClassVar[list[Binding]] = [
        Binding(
            "c",
            "not_available('Creating a refund', 'jettui refunds create ...')",
            "Create refund",
            id="refunds.create",
        ),
        Binding(
            "f",
            "not_available('Fetching refund states')",
            "Fetch states",
            show=False,
            id="refunds.fetch",
        ),
    ]

    def make_source(self, db: object) -> PageSource:
        return RefundSource(db)
