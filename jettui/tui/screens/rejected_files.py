"""Rejected files: bulk files Jet processed with errors, per SKU."""

from __future__ import annotations

from functools import partial

from jettui.services.listing import FileSource
from jettui.tui.screens.base import GridPanel, later


class RejectedFilesScreen(GridPanel):
    PANEL_ID = "rejected_files"
    DETAIL_TITLE_KEY = "file_name"
    EMPTY_TEXT = (
        "No rejected files — bulk uploads that Jet processes with errors appear here"
        " (`jettui cron fetch-errors`, or press f)."
    )
    SOURCE = partial(FileSource, with_errors=True)
    BINDINGS = [
        later("f", "Fetching file errors", "Fetch errors", "rejected-files.fetch",
              headless="jettui cron fetch-errors", show=True),
        later("r", "Resubmitting failed SKUs", "Resubmit failed", "rejected-files.resubmit"),
    ]  # fmt: skip
