"""Returns: Jet returns to accept or reject, mirrored to OpenCart."""

from __future__ import annotations

from jettui.services.listing import ReturnSource
from jettui.tui.screens.base import GridPanel, later


class ReturnsScreen(GridPanel):
    PANEL_ID = "returns"
    DETAIL_TITLE_KEY = "return_id"
    EMPTY_TEXT = "No Jet returns yet — run `jettui cron fetch-returns` or press f to fetch them."
    SOURCE = ReturnSource
    BINDINGS = [
        later("f", "Fetching returns", "Fetch returns", "returns.fetch",
              headless="jettui cron fetch-returns", show=True),
        later("c", "Completing a return", "Complete return", "returns.complete",
              headless="jettui returns complete RETURN_ID ..."),
    ]  # fmt: skip
