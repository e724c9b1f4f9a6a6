"""Returns: Jet returns to accept or reject, mirrored to OpenCart."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from jettui.services.listing import PageSource
from jettui.tui.screens.base import GridPanel
from jettui.tui.sources import ReturnSource


class ReturnsScreen(GridPanel):
    PANEL_ID = "returns"
    DETAIL_TITLE_KEY = "return_id"
    EMPTY_TEXT = "No Jet returns yet — run `jettui cron fetch-returns` or press f to fetch them."
    BINDINGS: ClassVar[list[Binding]] = [
        Binding(
            "f",
            "not_available('Fetching returns', 'jettui cron fetch-returns')",
            "Fetch returns",
            id="returns.fetch",
        ),
        Binding(
            "c",
            "not_available('Completing a return', 'jettui returns complete RETURN_ID ...')",
            "Complete return",
            show=False,
            id="returns.complete",
        ),
    ]

    def make_source(self, db: object) -> PageSource:
        return ReturnSource(db)
