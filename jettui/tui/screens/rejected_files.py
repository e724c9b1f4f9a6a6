"""Rejected files: bulk files Jet processed with errors, per SKU."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from jettui.services.listing import FileSource, PageSource
from jettui.tui.screens.base import GridPanel


class RejectedFilesScreen(GridPanel):
    PANEL_ID = "rejected_files"
    DETAIL_TITLE_KEY = "file_name"
    EMPTY_TEXT = (
        "No rejected files — bulk uploads that Jet processes with errors appear here"
        " (`jettui cron fetch-errors`, or press f)."
    )
    BINDINGS: ClassVar[list[Binding]] = [
        Binding(
            "f",
            "not_available('Fetching file errors', 'jettui cron fetch-errors')",
            "Fetch errors",
            id="rejected-files.fetch",
        ),
        Binding(
            "r",
            "not_available('Resubmitting failed SKUs')",
            "Resubmit failed",
            show=False,
            id="rejected-files.resubmit",
        ),
    ]

    def make_source(self, db: object) -> PageSource:
        return FileSource(db, with_errors=True)
